namespace DestinyDsl.Runtime.Kernels;

/// <summary>
/// Work applied by <see cref="Gemm"/> (and the sparse kernels) to each finished row segment of a product, while it
/// is in cache. Called from several threads at once on disjoint segments: implementations must be pure per segment.
/// A struct holding references to what it updates; the JIT specialises the kernel over it.
/// </summary>
public interface IGemmEpilogue
{
    /// <param name="row">Row of the product.</param>
    /// <param name="column">First column of the segment.</param>
    /// <param name="segment">Product[row, column .. column + segment.Length).</param>
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
