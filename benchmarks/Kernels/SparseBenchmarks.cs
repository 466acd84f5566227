using BenchmarkDotNet.Attributes;
using DestinyDsl.Runtime.Kernels;
using DestinyDsl.Runtime.Kernels.Threading;

namespace DestinyDsl.Benchmarks.Kernels;

/// <summary>
/// The sparse input layer (27278 → 1024) on a MovieLens-like batch: forward gather-sum of weight rows, and the
/// weight gradient handed row by row to a sink (a no-op, and SGD updating W). See the ns/nnz and GB/s columns
/// (bytes of weight or delta rows read).
/// </summary>
public class SparseBenchmarks
{
    public const int Units = 1024;

    private float[] _w = [];
    private float[] _z = [];
    private float[] _delta = [];

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        KernelThreads.Count = Threads;
        _w = BenchmarkData.Shared("w", (long)SparseBatch.Columns * Units, 5);
        _z = new float[SparseBatch.Rows * Units];
        _delta = BenchmarkData.Uniform(SparseBatch.Rows * Units, 6);
    }

    [Benchmark]
    public void GatherRows()
    {
        var batch = SparseBatch.Standard;
        SparseKernels.GatherRows(SparseBatch.Rows, batch.RowOffsets, batch.ColumnIds, [], _w, Units, Units, false, _z, Units);
    }

    [Benchmark]
    public void TransposedProductNoOpSink()
    {
        var batch = SparseBatch.Standard;
        SparseKernels.TransposedProductToSink(SparseBatch.Rows, batch.RowOffsets, batch.ColumnIds, [], SparseBatch.Columns, _delta, Units, Units, default(NoEpilogue));
    }

    [Benchmark]
    public void TransposedProductSgdSink()
    {
        var batch = SparseBatch.Standard;
        SparseKernels.TransposedProductToSink(SparseBatch.Rows, batch.RowOffsets, batch.ColumnIds, [], SparseBatch.Columns, _delta, Units, Units, new SgdRowSink(_w, Units));
    }
}
