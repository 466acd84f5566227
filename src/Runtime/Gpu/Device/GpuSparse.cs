using DestinyDsl.Runtime.Engine;
using DestinyDsl.Runtime.Engine.Devices;
using DestinyDsl.Runtime.Gpu.Kernels;
using ILGPU;
using ILGPU.Runtime;

namespace DestinyDsl.Runtime.Gpu.Device;

/// <summary>
/// A batch of a sparse input in device memory: the CSR (row = example) the forward gather and the output kernels
/// read, and for training its transpose (row = feature that occurs in the batch, entries = the examples holding it),
/// which the sparse weight update reads so it touches only the batch's rows of W. Both are built on the host.
/// </summary>
internal sealed class GpuSparse(Accelerator accelerator) : DeviceSparse, IDisposable
{
    private readonly GrowableBuffer<int> _offsets = new(accelerator);
    private readonly GrowableBuffer<int> _columns = new(accelerator);
    private readonly GrowableBuffer<float> _values = new(accelerator);
    private readonly GrowableBuffer<int> _features = new(accelerator);
    private readonly GrowableBuffer<int> _tOffsets = new(accelerator);
    private readonly GrowableBuffer<int> _tRows = new(accelerator);
    private readonly GrowableBuffer<float> _tValues = new(accelerator);
    private int[] _count = Array.Empty<int>();
    private int[] _featureList = Array.Empty<int>();
    private int[] _hostOffsets = Array.Empty<int>();
    private int[] _hostRows = Array.Empty<int>();
    private float[] _hostValues = Array.Empty<float>();

    /// <summary>Rows of the batch.</summary>
    public int Rows { get; private set; }

    /// <summary>The batch, row = example.</summary>
    public SparseArgs Args { get; private set; }

    /// <summary>The batch transposed: row u = the examples holding feature <see cref="Features"/>[u].</summary>
    public SparseArgs Transposed { get; private set; }

    /// <summary>The distinct features (local column ids) of the batch, ascending.</summary>
    public ArrayView<int> Features { get; private set; }

    /// <summary>How many distinct features the batch holds.</summary>
    public int FeatureCount { get; private set; }

    public void Load(AcceleratorStream stream, SparseBatch batch, bool forUpdate)
    {
        Rows = batch.Rows;
        var nnz = batch.Offsets[batch.Rows];
        var offsets = _offsets.Upload(stream, batch.Offsets.AsSpan(0, batch.Rows + 1));
        var columns = _columns.Upload(stream, batch.Columns.AsSpan(0, nnz));
        var values = batch.Values is { } v ? _values.Upload(stream, v.AsSpan(0, nnz)) : _values.Ensure(1);
        Args = new SparseArgs(offsets, columns, values, batch.Values is not null);
        if (forUpdate) Transpose(stream, batch, nnz);
        stream.Synchronize();   // the host arrays are refilled for the next batch
    }

    /// <summary>Counting sort of the batch's entries by column: CSR of the transpose over the columns that occur.</summary>
    private void Transpose(AcceleratorStream stream, SparseBatch batch, int nnz)
    {
        var width = 0;
        for (var k = 0; k < nnz; k++) width = Math.Max(width, batch.Columns[k] + 1);
        if (_count.Length < width + 1) _count = new int[Math.Max(width + 1, _count.Length * 2)];
        Array.Clear(_count, 0, width + 1);
        for (var k = 0; k < nnz; k++) _count[batch.Columns[k]]++;
        var features = 0;
        for (var c = 0; c < width; c++) if (_count[c] > 0) features++;
        if (_featureList.Length < features) _featureList = new int[Math.Max(features, _featureList.Length * 2)];
        if (_hostOffsets.Length < features + 1) _hostOffsets = new int[Math.Max(features + 1, _hostOffsets.Length * 2)];
        if (_hostRows.Length < nnz) { _hostRows = new int[Math.Max(nnz, _hostRows.Length * 2)]; _hostValues = new float[_hostRows.Length]; }
        // _count[c] becomes the start of column c's entries; _featureList maps the u-th occurring feature to c.
        var u = 0;
        var at = 0;
        for (var c = 0; c < width; c++)
        {
            var n = _count[c];
            if (n == 0) continue;
            _featureList[u] = c;
            _hostOffsets[u] = at;
            _count[c] = at;
            at += n;
            u++;
        }
        _hostOffsets[features] = at;
        for (var b = 0; b < batch.Rows; b++)
        {
            for (var k = batch.Offsets[b]; k < batch.Offsets[b + 1]; k++)
            {
                var slot = _count[batch.Columns[k]]++;
                _hostRows[slot] = b;
                _hostValues[slot] = batch.Values is null ? 1f : batch.Values[k];
            }
        }
        FeatureCount = features;
        Features = _features.Upload(stream, _featureList.AsSpan(0, features));
        var tOffsets = _tOffsets.Upload(stream, _hostOffsets.AsSpan(0, features + 1));
        var tRows = _tRows.Upload(stream, _hostRows.AsSpan(0, nnz));
        var tValues = batch.Values is null ? _tValues.Ensure(1) : _tValues.Upload(stream, _hostValues.AsSpan(0, nnz));
        // Row order within a feature is the batch order, so the gradient sums examples in the CPU's order.
        Transposed = new SparseArgs(tOffsets, tRows, tValues, batch.Values is not null);
    }

    public void Dispose()
    {
        _offsets.Dispose();
        _columns.Dispose();
        _values.Dispose();
        _features.Dispose();
        _tOffsets.Dispose();
        _tRows.Dispose();
        _tValues.Dispose();
    }
}
