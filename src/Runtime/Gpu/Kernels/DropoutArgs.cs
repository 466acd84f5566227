using DestinyDsl.Runtime.Engine;
using DestinyDsl.Runtime.Kernels.Fused;

namespace DestinyDsl.Runtime.Gpu.Kernels;

/// <summary>
/// A layer's dropout mask for one training step as a kernel argument: element (row, column) is regenerated from the
/// same counter-based RNG as the CPU engine (<see cref="CounterRng"/>), so a GPU run and a CPU run of one seed drop
/// the same units. <see cref="Probability"/> 0 = no dropout (every element 1).
/// </summary>
public readonly struct DropoutArgs
{
    /// <summary>Stream key of (seed, layer, step).</summary>
    public readonly ulong Key;

    /// <summary>Dropout probability p.</summary>
    public readonly float Probability;

    /// <summary>Scale of kept units, 1/(1 − p).</summary>
    public readonly float Scale;

    /// <summary>Probability that a unit is kept, 1 − p (ã·keep recovers a where the unit was kept).</summary>
    public readonly float Keep;

    /// <summary>The layer's full width: the row stride of the counter space.</summary>
    public readonly int Width;

    /// <summary>Global unit of local column 0 (the shard's first unit).</summary>
    public readonly int ColumnOffset;

    internal DropoutArgs(DropoutMask mask)
    {
        Key = mask.Key;
        Probability = mask.Probability;
        Scale = mask.Scale;
        Keep = mask.Keep;
        Width = mask.Width;
        ColumnOffset = mask.ColumnOffset;
    }

    /// <summary>True when the mask drops anything.</summary>
    public bool IsActive => Probability > 0f;

    /// <summary>Mask value of (row, local column): 0 or 1/(1 − p); 1 when inactive.</summary>
    public float At(int row, int column)
        => Probability <= 0f ? 1f
            : CounterRng.Uniform(Key, ((ulong)row * (ulong)Width) + (ulong)(ColumnOffset + column)) < Probability ? 0f : Scale;
}
