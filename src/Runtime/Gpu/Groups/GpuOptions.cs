namespace DestinyDsl.Runtime.Gpu;

/// <summary>How a GPU device group computes.</summary>
public sealed record GpuOptions
{
    /// <summary>
    /// Let cuBLAS use TF32 tensor cores for FP32 products (about 10 bits of mantissa in the products' inputs: faster,
    /// less exact). Off by default: products are full FP32.
    /// </summary>
    public bool AllowTf32 { get; init; }

    /// <summary>
    /// The most device memory each GPU of the group may use, in bytes (null = no limit but the GPU's own): parameters,
    /// optimizer state, one layer's weight gradient, two batches and their staging. The training data stays in host
    /// memory, so a data set far larger than the budget trains; a model whose slice does not fit fails at construction.
    /// </summary>
    public long? MemoryBudget { get; init; }

    /// <summary>The defaults: FP32 products.</summary>
    public static GpuOptions Default { get; } = new();
}
