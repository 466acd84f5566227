using ILGPU;

namespace DestinyDsl.Runtime.Gpu.Kernels;

/// <summary>
/// Reductions inside explicitly grouped kernels: every thread of the group passes its partial sum, thread 0 of the
/// group adds the group's total to <c>total[0]</c> with one atomic (so a grid of G groups issues G atomics).
/// </summary>
/// <remarks>Groups are at most <see cref="MaxGroupSize"/> threads, a power of two.</remarks>
public static class GroupSum
{
    /// <summary>The largest group the reduction supports.</summary>
    public const int MaxGroupSize = Library.GroupReduce.MaxGroupSize;

    /// <summary>Adds the group's sum of <paramref name="partial"/> to <paramref name="total"/>[0].</summary>
    public static void AddToTotal(double partial, ArrayView<double> total)
    {
        var sum = Library.GroupReduce.Sum(partial);
        if (Group.IdxX == 0) Atomic.Add(ref total[0], sum);
    }

    /// <summary>Index of this thread's first element and the grid's stride for a grid-stride loop.</summary>
    public static (int First, int Stride) GridStride() => ((Grid.IdxX * Group.DimX) + Group.IdxX, Grid.DimX * Group.DimX);
}
