namespace DestinyDsl.Runtime.Distributed.Mpi;

/// <summary>A message that has arrived and can be received: who sent it, its tag and its length in bytes.</summary>
internal readonly record struct MpiMessageInfo(int Source, int Tag, int Bytes);

/// <summary>
/// Point-to-point byte messages (<c>MPI_Send</c>, <c>MPI_Iprobe</c>, <c>MPI_Recv</c>), for control traffic such as the
/// tuning coordinator's: small messages of varying length between two ranks, not the model's collectives. Not part of
/// <see cref="ICommunicator"/>: model-parallel training never needs them, and the in-process transport has no use for them.
/// </summary>
internal sealed unsafe partial class MpiCommunicator
{
    /// <summary>Sends <paramref name="message"/> to <paramref name="destination"/> with <paramref name="tag"/> (≥ 0); blocks until the buffer may be reused.</summary>
    public void Send(ReadOnlySpan<byte> message, int destination, int tag)
    {
        if ((uint)destination >= (uint)Size)
            throw new ArgumentOutOfRangeException(nameof(destination), destination, $"MPI_Send on rank {Rank}: destination must be a rank of 0..{Size - 1}.");
        ArgumentOutOfRangeException.ThrowIfNegative(tag);
        byte dummy = 0;
        fixed (byte* pointer = message)
        {
            using var call = _session.BeginCall("MPI_Send");
            _api.Check(_api.Send(pointer != null ? pointer : &dummy, message.Length, _api.Byte, destination, tag, Handle), "MPI_Send");
        }
    }

    /// <summary>
    /// Whether a message from <paramref name="source"/> (null: any rank) with <paramref name="tag"/> (null: any tag) has
    /// arrived (<c>MPI_Iprobe</c>: never blocks). The message stays queued until <see cref="Receive"/>.
    /// </summary>
    public bool TryProbe(int? source, int? tag, out MpiMessageInfo message)
    {
        var status = stackalloc byte[Interop.Mpi.MpiApi.StatusSize];
        new Span<byte>(status, Interop.Mpi.MpiApi.StatusSize).Clear();
        int flag = 0, count = 0;
        using (_session.BeginCall("MPI_Iprobe"))
            _api.Check(_api.Iprobe(source ?? _api.AnySource, tag ?? Interop.Mpi.MpiApi.AnyTag, Handle, &flag, status), "MPI_Iprobe");
        if (flag == 0)
        {
            message = default;
            return false;
        }
        using (_session.BeginCall("MPI_Get_count")) _api.Check(_api.GetCount(status, _api.Byte, &count), "MPI_Get_count");
        message = new MpiMessageInfo(_api.StatusSource(status), _api.StatusTag(status), count);
        return true;
    }

    /// <summary>Receives the message <paramref name="message"/> describes (from <see cref="TryProbe"/>, on the same thread) into a new array.</summary>
    public byte[] Receive(MpiMessageInfo message)
    {
        var buffer = new byte[message.Bytes];
        var status = stackalloc byte[Interop.Mpi.MpiApi.StatusSize];
        byte dummy = 0;
        fixed (byte* pointer = buffer)
        {
            using var call = _session.BeginCall("MPI_Recv");
            _api.Check(_api.Recv(pointer != null ? pointer : &dummy, buffer.Length, _api.Byte, message.Source, message.Tag, Handle, status), "MPI_Recv");
        }
        return buffer;
    }
}
