using BenchmarkDotNet.Attributes;
using DestinyDsl.Runtime.Kernels;

namespace DestinyDsl.Benchmarks.Kernels;

/// <summary>Top-k of one user's 27278 output scores with their ~144 seen items excluded: the heap kernel vs a full sort.</summary>
public class TopKBenchmarks
{
    private float[] _scores = [];
    private int[] _exclude = [];
    private int[] _indices = [];
    private float[] _values = [];

    [Params(10, 100)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Sigmoid outputs of a trained autoencoder are mostly near 0 with a tail towards 1.
        _scores = BenchmarkData.Uniform(SparseBatch.Columns, 8, 0f, 1f).Select(u => u * u * u).ToArray();
        var batch = SparseBatch.Standard;
        _exclude = batch.ColumnIds[batch.RowOffsets[0]..batch.RowOffsets[1]];
        _indices = new int[K];
        _values = new float[K];
    }

    [Benchmark(Baseline = true)]
    public int SortReference() => TopKReference.Select(_scores, K, _exclude, _indices, _values);

    [Benchmark]
    public int Heap() => TopK.Select(_scores, K, _exclude, _indices, _values);
}
