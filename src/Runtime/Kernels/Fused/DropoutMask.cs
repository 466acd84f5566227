using System.Runtime.CompilerServices;
using DestinyDsl.Runtime.Engine;

namespace DestinyDsl.Runtime.Kernels.Fused;

/// <summary>
/// A layer's dropout mask for one training step, never stored: element (row, unit) is regenerated from the
/// counter-based RNG on demand, in the forward pass and again in the backward pass, on whichever shard owns the unit.
/// </summary>
/// <param name="Key">Stream key of (seed, layer, step).</param>
/// <param name="Probability">Dropout probability p; 0 = disabled (every element 1).</param>
/// <param name="Width">The layer's full width (the row stride of the counter space).</param>
/// <param name="ColumnOffset">Global unit of local column 0.</param>
internal readonly record struct DropoutMask(ulong Key, float Probability, int Width, int ColumnOffset)
{
    /// <summary>Scale of kept units: 1/(1 − p).</summary>
    public float Scale => 1f / (1f - Probability);

    /// <summary>Probability that a unit is kept: 1 − p.</summary>
    public float Keep => 1f - Probability;

    /// <summary>True when the mask drops anything.</summary>
    public bool IsActive => Probability > 0f;

    /// <summary>Mask value of (row, local column): 0 or 1/(1 − p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float At(int row, int column)
        => CounterRng.Uniform(Key, ((ulong)row * (ulong)Width) + (ulong)(ColumnOffset + column)) < Probability ? 0f : Scale;

    /// <summary>Writes the mask of <paramref name="row"/>, local columns [column, column + destination.Length).</summary>
    public void Fill(int row, int column, Span<float> destination)
    {
        var scale = Scale;
        var p = Probability;
        var counter = ((ulong)row * (ulong)Width) + (ulong)(ColumnOffset + column);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = CounterRng.Uniform(Key, counter + (ulong)i) < p ? 0f : scale;
        }
    }

    /// <summary>values ← values ⊙ mask(row, column..): inverted dropout over one row segment.</summary>
    public void Apply(Span<float> values, int row, int column)
    {
        Span<float> m = stackalloc float[256];
        for (var at = 0; at < values.Length; at += m.Length)
        {
            var chunk = values.Slice(at, Math.Min(m.Length, values.Length - at));
            var mc = m[..chunk.Length];
            Fill(row, column + at, mc);
            System.Numerics.Tensors.TensorPrimitives.Multiply(chunk, mc, chunk);
        }
    }
}
