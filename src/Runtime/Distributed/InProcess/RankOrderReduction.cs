using System.Numerics;
using System.Numerics.Tensors;

namespace DestinyDsl.Runtime.Distributed.InProcess;

/// <summary>
/// Element-wise reduction of P shards' buffers in rank order: d = ((x0 ∘ x1) ∘ x2) ∘ …, the same order for every
/// element and every shard, so results are bit-identical across shards and runs whatever the thread timing.
/// </summary>
internal static unsafe class RankOrderReduction
{
    // Elements per pass: the partial result (16–32 KB) stays in L1/L2 while each rank's slice is folded in.
    private const int Block = 4096;

    /// <param name="sources">Base address of each rank's buffer, in rank order.</param>
    /// <param name="start">First element to reduce (the same offset in every rank's buffer).</param>
    /// <param name="destination">Receives elements start..start+destination.Length.</param>
    public static void Reduce<T>(ReadOnlySpan<nint> sources, long start, Span<T> destination, ReductionOperation operation)
        where T : unmanaged, INumber<T>
    {
        for (int done = 0; done < destination.Length; done += Block)
        {
            int length = Math.Min(Block, destination.Length - done);
            var target = destination.Slice(done, length);
            var first = Slice<T>(sources[0], start + done, length);
            if (sources.Length == 1)
            {
                first.CopyTo(target);
                continue;
            }
            Combine(first, Slice<T>(sources[1], start + done, length), target, operation);
            for (int rank = 2; rank < sources.Length; rank++)
                Combine(target, Slice<T>(sources[rank], start + done, length), target, operation);
        }
    }

    private static ReadOnlySpan<T> Slice<T>(nint baseAddress, long start, int length) where T : unmanaged
        => new((T*)baseAddress + start, length);

    // TensorPrimitives allows the destination to alias x exactly, which the running partial result does.
    private static void Combine<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination, ReductionOperation operation)
        where T : unmanaged, INumber<T>
    {
        if (operation == ReductionOperation.Sum) TensorPrimitives.Add(x, y, destination);
        else TensorPrimitives.Max(x, y, destination);
    }
}
