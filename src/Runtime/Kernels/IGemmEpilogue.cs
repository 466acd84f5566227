namespace DestinyDsl.Runtime.Kernels;

/// <summary>
/// Work applied by <see cref="Gemm"/> to each finished row segment of C (every k summed), while it is in cache.
/// Called from several threads at once on disjoint segments: implementations must be pure per segment.
/// </summary>
public interface IGemmEpilogue
{
    /// <param name="row">Row of C.</param>
    /// <param name="column">First column of the segment.</param>
    /// <param name="segment">C[row, column .. column + segment.Length).</param>
    void Apply(int row, int column, Span<float> segment);
}

/// <summary>The epilogue that does nothing.</summary>
public struct NoEpilogue : IGemmEpilogue
{
    /// <inheritdoc/>
    public readonly void Apply(int row, int column, Span<float> segment)
    {
    }
}
