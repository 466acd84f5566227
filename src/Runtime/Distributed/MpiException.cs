namespace DestinyDsl.Runtime.Distributed;

/// <summary>
/// MPI could not be used: the library is missing or does not match the launcher, or an MPI call returned an error
/// (then <see cref="Call"/> names it and <see cref="ErrorCode"/> holds MPI's code).
/// </summary>
public sealed class MpiException : Exception
{
    /// <summary>A setup problem (no library, wrong library, bad setting) described by <paramref name="message"/>.</summary>
    public MpiException(string message, Exception? innerException = null) : base(message, innerException)
    {
    }

    internal MpiException(string call, int errorCode, string errorText)
        : base($"{call} failed with MPI error {errorCode}: {errorText}")
    {
        Call = call;
        ErrorCode = errorCode;
    }

    /// <summary>The MPI function that failed (e.g. <c>MPI_Allgatherv</c>), or null for setup problems.</summary>
    public string? Call { get; }

    /// <summary>The error code the call returned, or null for setup problems.</summary>
    public int? ErrorCode { get; }
}
