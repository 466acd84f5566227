using DestinyDsl.Runtime.Gpu.Kernels.Library;
using ILGPU;
using ILGPU.Runtime;

namespace DestinyDsl.Runtime.Gpu.Tests.Kernels;

/// <summary>
/// One simulator and the library kernels compiled on it, shared by every library test (one xunit collection, so the
/// tests run one after another: each simulated thread is an OS thread, and the CPU accelerator runs one kernel at a
/// time). Variants with other launch shapes are compiled on first use.
/// </summary>
public sealed class LibraryFixture : IDisposable
{
    private readonly Dictionary<(int Tile, int Group), LibraryKernels> _variants = new();

    /// <summary>Creates the simulator.</summary>
    public LibraryFixture() => Simulator = new Simulator();

    /// <summary>The simulator.</summary>
    public Simulator Simulator { get; }

    /// <summary>Its accelerator.</summary>
    public Accelerator Accelerator => Simulator.Accelerator;

    /// <summary>The stream tests launch on.</summary>
    public AcceleratorStream Stream => Accelerator.DefaultStream;

    internal LibraryKernels Kernels => LibraryKernels.For(Accelerator);

    /// <summary>Kernels with a given GEMM tile edge and row group size.</summary>
    internal LibraryKernels With(int? tile = null, int? group = null)
    {
        var key = (tile ?? Kernels.TileEdge, group ?? Kernels.RowGroupSize);
        if (!_variants.TryGetValue(key, out var kernels)) _variants[key] = kernels = new LibraryKernels(Accelerator, key.Item1, key.Item2);
        return kernels;
    }

    /// <summary>A device copy of <paramref name="values"/>.</summary>
    public MemoryBuffer1D<T, Stride1D.Dense> Upload<T>(T[] values)
        where T : unmanaged
        => Accelerator.Allocate1D(values);

    /// <summary>Waits for the stream and copies the buffer back.</summary>
    public T[] Download<T>(MemoryBuffer1D<T, Stride1D.Dense> buffer)
        where T : unmanaged
    {
        Stream.Synchronize();
        return buffer.GetAsArray1D();
    }

    /// <summary>Seeded values in [lo, hi).</summary>
    public static float[] Random(int count, int seed, float lo = -1f, float hi = 1f)
    {
        var rng = new Random(seed);
        var values = new float[count];
        for (var i = 0; i < count; i++) values[i] = lo + ((hi - lo) * (float)rng.NextDouble());
        return values;
    }

    /// <inheritdoc />
    public void Dispose() => Simulator.Dispose();
}

/// <summary>
/// The collection every test that runs simulated GPUs shares (library, BLAS, device and training tests), so they do
/// not run in parallel: each simulated thread is an OS thread, and two simulations at once on 2 cores only slow each
/// other down.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SimulatorCollection : ICollectionFixture<LibraryFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "GPU simulator";
}

/// <summary>Views of test buffers.</summary>
public static class BufferViews
{
    /// <summary>The buffer from element <paramref name="offset"/> on, as the plain view the kernels take.</summary>
    public static ArrayView<T> From<T>(this MemoryBuffer1D<T, Stride1D.Dense> buffer, int offset)
        where T : unmanaged
        => ((ArrayView<T>)buffer.View).SubView(offset);
}
