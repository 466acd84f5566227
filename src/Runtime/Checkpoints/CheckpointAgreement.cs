using System.Buffers.Binary;
using System.Runtime.ExceptionServices;
using System.Text;
using DestinyDsl.Runtime.Checkpoints.Safetensors;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Engine;

namespace DestinyDsl.Runtime.Checkpoints;

/// <summary>
/// Under MPI only the writer (rank 0 of the model's group) touches the checkpoint file. It tells every other rank the
/// outcome with two small broadcasts, so that <c>Save</c> and <c>Load</c> succeed or fail together: the other ranks
/// rethrow the writer's error (a <see cref="CheckpointFormatException"/> with the same path, tensor and reason, else an
/// <see cref="IOException"/> naming the writer), and none of them starts scattering tensors the writer could not
/// read. A load also hands out the training position read from the file.
/// </summary>
internal static class CheckpointAgreement
{
    private const int HeaderBytes = 32;
    private const char Separator = '\0';

    /// <summary>
    /// Collective. The writer passes its <paramref name="failure"/> (null on success) and, for a load, the position
    /// it read; every rank returns that position, or throws (the writer its own exception, the others its copy).
    /// </summary>
    public static TrainingPosition Agree(ICommunicator communicator, Exception? failure, TrainingPosition position, string path, string action)
    {
        var writer = communicator.Rank == ParameterTransfer.Writer;
        Span<byte> header = stackalloc byte[HeaderBytes];
        header.Clear();
        byte[] payload = [];
        if (writer)
        {
            if (failure is not null) payload = Encoding.UTF8.GetBytes(Describe(failure));
            BinaryPrimitives.WriteInt32LittleEndian(header, failure is null ? 0 : 1);
            BinaryPrimitives.WriteInt32LittleEndian(header[4..], payload.Length);
            BinaryPrimitives.WriteInt64LittleEndian(header[8..], position.Step);
            BinaryPrimitives.WriteInt64LittleEndian(header[16..], position.Epoch);
            BinaryPrimitives.WriteInt32LittleEndian(header[24..], position.BatchInEpoch);
        }
        communicator.Broadcast(header, ParameterTransfer.Writer);
        var failed = BinaryPrimitives.ReadInt32LittleEndian(header) != 0;
        if (failed)
        {
            if (!writer) payload = new byte[BinaryPrimitives.ReadInt32LittleEndian(header[4..])];
            communicator.Broadcast(payload, ParameterTransfer.Writer);
            if (writer) ExceptionDispatchInfo.Capture(AgreedFailure.Mark(failure!)).Throw();
            throw AgreedFailure.Mark(Rebuild(Encoding.UTF8.GetString(payload), path, action, communicator.Size));
        }
        return new TrainingPosition(
            BinaryPrimitives.ReadInt64LittleEndian(header[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(header[16..]),
            BinaryPrimitives.ReadInt32LittleEndian(header[24..]));
    }

    private static string Describe(Exception failure) => failure is CheckpointFormatException format
        ? string.Join(Separator, "format", format.Path, format.Tensor is null ? "" : "t" + format.Tensor, format.Reason)
        : string.Join(Separator, failure is FileNotFoundException ? "missing" : "io", failure.GetType().Name, failure.Message);

    private static Exception Rebuild(string text, string path, string action, int ranks)
    {
        var kind = text[..Math.Max(0, text.IndexOf(Separator))];
        var parts = text.Split(Separator, kind == "format" ? 4 : 3);
        return parts[0] switch
        {
            "format" => new CheckpointFormatException(parts[1], parts[2].Length == 0 ? null : parts[2][1..], parts[3]),
            "missing" => new FileNotFoundException($"Rank 0 of {ranks} (the checkpoint writer) could not {action} {path}: {parts[2]}", path),
            _ => new IOException($"Rank 0 of {ranks} (the checkpoint writer) could not {action} {path}: {parts[1]}: {parts[2]}"),
        };
    }
}
