using ILGPU;

namespace DestinyDsl.Runtime.Gpu.Kernels.Library;

/// <summary>
/// Whole-group reductions for explicitly grouped kernels: every thread passes its partial value and every thread
/// gets the group's result. Tree reduction in shared memory, so the group size must be a power of two no larger
/// than <see cref="MaxGroupSize"/> (the launchers choose it that way, <see cref="LibraryKernels.RowGroupSize"/>).
/// </summary>
/// <remarks>Written here rather than with ILGPU.Algorithms' group reductions so that the kernels do not depend on the
/// context having called <c>EnableAlgorithms()</c>.</remarks>
internal static class GroupReduce
{
    /// <summary>The largest group the reductions support.</summary>
    public const int MaxGroupSize = 256;

    /// <summary>The group's maximum (NaN partials are skipped: the softmax that follows turns them into NaN anyway).</summary>
    public static float Max(float value)
    {
        var shared = SharedMemory.Allocate<float>(MaxGroupSize);
        var t = Group.IdxX;
        shared[t] = value;
        Group.Barrier();
        for (var width = Group.DimX / 2; width > 0; width >>= 1)
        {
            if (t < width)
            {
                var other = shared[t + width];
                if (other > shared[t]) shared[t] = other;
            }
            Group.Barrier();
        }
        return shared[0];
    }

    /// <summary>The group's sum.</summary>
    public static double Sum(double value)
    {
        var shared = SharedMemory.Allocate<double>(MaxGroupSize);
        var t = Group.IdxX;
        shared[t] = value;
        Group.Barrier();
        for (var width = Group.DimX / 2; width > 0; width >>= 1)
        {
            if (t < width) shared[t] += shared[t + width];
            Group.Barrier();
        }
        return shared[0];
    }
}
