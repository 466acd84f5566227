using System.Reflection;
using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace DestinyDsl.Runtime.Gpu.Kernels.Library;

/// <summary>
/// The runtime's own device kernels (products, row and column reductions, reshuffles), compiled once per
/// <see cref="Accelerator"/> (<see cref="For"/>) and launched through typed methods. Every method only enqueues work
/// on the given stream; buffers are row-major, sizes are plain ints, and views may be sub-views at any offset.
/// </summary>
/// <remarks>
/// Arguments are checked on the host before each launch (sizes and view lengths), because an out-of-range access on
/// a GPU is silent. Indices are 32-bit (cheaper on the device), so every buffer handled here must hold fewer than
/// 2³¹ elements.
/// </remarks>
internal sealed partial class LibraryKernels
{
    private static readonly ConditionalWeakTable<Accelerator, LibraryKernels> Loaded = new();

    private readonly Accelerator _accelerator;
    private readonly Action<AcceleratorStream, KernelConfig, GemmArgs> _gemm;
    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, ArrayView<float>> _rowMax;
    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, ArrayView<float>, ArrayView<double>> _expAndRowSum;
    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, ArrayView<double>> _rowSums;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<float>, int, ArrayView<double>> _scaleRows;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<float>, int, ArrayView<double>> _subtractScaled;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<float>, int, int, ArrayView<float>> _columnSums;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<float>, int, int, ArrayView<float>> _columnSquareNorms;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<float>, int, ArrayView<float>> _scaleColumns;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<float>, int, int, float, float, ArrayView<float>> _sparsenessPenalty;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<float>> _add;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<float>, float> _fill;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<int>> _anyNonFinite;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<float>, int, int, int, ArrayView<float>, int> _toBlocks;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<float>, int, int, int, int, ArrayView<float>> _fromBlocks;
    private readonly Action<AcceleratorStream, Index1D, NormArgs> _normTrain;
    private readonly Action<AcceleratorStream, Index1D, NormArgs> _normInfer;
    private readonly Action<AcceleratorStream, Index1D, NormArgs> _normBackward;

    /// <summary>
    /// Compiles the kernels for <paramref name="accelerator"/>. <paramref name="gemmTile"/> and
    /// <paramref name="rowGroupSize"/> override the launch shapes (tests use them to cover other group sizes); by
    /// default they are taken from the accelerator (<see cref="DefaultTileEdge"/>, <see cref="DefaultRowGroupSize"/>).
    /// </summary>
    public LibraryKernels(Accelerator accelerator, int? gemmTile = null, int? rowGroupSize = null)
    {
        _accelerator = accelerator ?? throw new ArgumentNullException(nameof(accelerator));
        TileEdge = gemmTile ?? DefaultTileEdge(accelerator);
        RowGroupSize = rowGroupSize ?? DefaultRowGroupSize(accelerator);
        if (TileEdge < 1 || TileEdge > GemmKernel.MaxTile || TileEdge * TileEdge > accelerator.MaxNumThreadsPerGroup)
        {
            throw new ArgumentOutOfRangeException(nameof(gemmTile), $"GEMM tile edge {TileEdge} must be 1..{GemmKernel.MaxTile} with {TileEdge}² ≤ {accelerator.MaxNumThreadsPerGroup} threads a group.");
        }
        if (RowGroupSize < 1 || RowGroupSize > GroupReduce.MaxGroupSize || (RowGroupSize & (RowGroupSize - 1)) != 0 || RowGroupSize > accelerator.MaxNumThreadsPerGroup)
        {
            throw new ArgumentOutOfRangeException(nameof(rowGroupSize), $"Row group size {RowGroupSize} must be a power of two ≤ {Math.Min(GroupReduce.MaxGroupSize, accelerator.MaxNumThreadsPerGroup)}.");
        }

        _gemm = accelerator.LoadKernel<GemmArgs>(GemmKernel.Multiply);
        _rowMax = accelerator.LoadKernel<ArrayView<float>, int, ArrayView<float>>(RowKernels.RowMax);
        _expAndRowSum = accelerator.LoadKernel<ArrayView<float>, int, ArrayView<float>, ArrayView<double>>(RowKernels.ExpAndRowSum);
        _rowSums = accelerator.LoadKernel<ArrayView<float>, int, ArrayView<double>>(RowKernels.RowSums);
        _scaleRows = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<float>, int, ArrayView<double>>(RowKernels.ScaleRows);
        _subtractScaled = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, int, ArrayView<double>>(RowKernels.SubtractScaled);
        _columnSums = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<float>, int, int, ArrayView<float>>(ColumnKernels.ColumnSums);
        _columnSquareNorms = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<float>, int, int, ArrayView<float>>(ColumnKernels.ColumnSquareNorms);
        _scaleColumns = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<float>, int, ArrayView<float>>(ColumnKernels.ScaleColumns);
        _sparsenessPenalty = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<float>, int, int, float, float, ArrayView<float>>(ColumnKernels.SparsenessPenalty);
        _add = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>>(ElementKernels.Add);
        _fill = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<float>, float>(ElementKernels.Fill);
        _anyNonFinite = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<int>>(ElementKernels.AnyNonFinite);
        _toBlocks = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<float>, int, int, int, ArrayView<float>, int>(BlockKernels.ToBlocks);
        _fromBlocks = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<float>, int, int, int, int, ArrayView<float>>(BlockKernels.FromBlocks);
        _normTrain = accelerator.LoadAutoGroupedKernel<Index1D, NormArgs>(NormKernels.Train);
        _normInfer = accelerator.LoadAutoGroupedKernel<Index1D, NormArgs>(NormKernels.Infer);
        _normBackward = accelerator.LoadAutoGroupedKernel<Index1D, NormArgs>(NormKernels.Backward);
    }

    /// <summary>The kernels of <paramref name="accelerator"/> with its default launch shapes, compiled on first use.</summary>
    public static LibraryKernels For(Accelerator accelerator)
        => Loaded.GetValue(accelerator ?? throw new ArgumentNullException(nameof(accelerator)), a => new LibraryKernels(a));

    /// <summary>The accelerator the kernels were compiled for.</summary>
    public Accelerator Accelerator => _accelerator;

    /// <summary>Edge T of the GEMM's T×T thread groups and shared tiles.</summary>
    public int TileEdge { get; }

    /// <summary>Threads of each row reduction's group (a power of two).</summary>
    public int RowGroupSize { get; }

    /// <summary>
    /// 16 where the accelerator allows 256 threads a group (the usual sweet spot for a one-element-per-thread tile),
    /// otherwise the largest square that fits (4 on the 16-thread CPU simulator).
    /// </summary>
    public static int DefaultTileEdge(Accelerator accelerator)
    {
        var t = Math.Min(16, (int)Math.Sqrt(accelerator.MaxNumThreadsPerGroup));
        while (t > 1 && (t * t > accelerator.MaxNumThreadsPerGroup || t > accelerator.MaxGroupSize.X || t > accelerator.MaxGroupSize.Y)) t--;
        return Math.Max(1, t);
    }

    /// <summary>The largest power of two ≤ min(256, the accelerator's threads a group).</summary>
    public static int DefaultRowGroupSize(Accelerator accelerator)
    {
        var limit = Math.Min(GroupReduce.MaxGroupSize, Math.Min(accelerator.MaxNumThreadsPerGroup, accelerator.MaxGroupSize.X));
        var g = 1;
        while (g * 2 <= limit) g *= 2;
        return g;
    }

    /// <summary>Every kernel method, and whether it is explicitly grouped (for compiling them to PTX in tests).</summary>
    public static IReadOnlyList<(MethodInfo Method, bool ExplicitlyGrouped)> EntryPoints { get; } =
    [
        (Method(typeof(GemmKernel), nameof(GemmKernel.Multiply)), true),
        (Method(typeof(RowKernels), nameof(RowKernels.RowMax)), true),
        (Method(typeof(RowKernels), nameof(RowKernels.ExpAndRowSum)), true),
        (Method(typeof(RowKernels), nameof(RowKernels.RowSums)), true),
        (Method(typeof(RowKernels), nameof(RowKernels.ScaleRows)), false),
        (Method(typeof(RowKernels), nameof(RowKernels.SubtractScaled)), false),
        (Method(typeof(ColumnKernels), nameof(ColumnKernels.ColumnSums)), false),
        (Method(typeof(ColumnKernels), nameof(ColumnKernels.ColumnSquareNorms)), false),
        (Method(typeof(ColumnKernels), nameof(ColumnKernels.ScaleColumns)), false),
        (Method(typeof(ColumnKernels), nameof(ColumnKernels.SparsenessPenalty)), false),
        (Method(typeof(ElementKernels), nameof(ElementKernels.Add)), false),
        (Method(typeof(ElementKernels), nameof(ElementKernels.Fill)), false),
        (Method(typeof(ElementKernels), nameof(ElementKernels.AnyNonFinite)), false),
        (Method(typeof(BlockKernels), nameof(BlockKernels.ToBlocks)), false),
        (Method(typeof(BlockKernels), nameof(BlockKernels.FromBlocks)), false),
        (Method(typeof(NormKernels), nameof(NormKernels.Train)), false),
        (Method(typeof(NormKernels), nameof(NormKernels.Infer)), false),
        (Method(typeof(NormKernels), nameof(NormKernels.Backward)), false),
        (Method(typeof(TopKKernel), nameof(TopKKernel.Select)), true),
        (Method(typeof(Device.DeviceKernels), nameof(Device.DeviceKernels.ApplyMaskKernel)), false),
    ];

    private static MethodInfo Method(Type type, string name)
        => type.GetMethod(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
           ?? throw new InvalidOperationException($"{type.Name}.{name} not found.");
}
