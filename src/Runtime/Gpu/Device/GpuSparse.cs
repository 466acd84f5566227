using DestinyDsl.Runtime.Engine;
using DestinyDsl.Runtime.Engine.Devices;
using DestinyDsl.Runtime.Gpu.Kernels;
using ILGPU;
using ILGPU.Runtime;

namespace DestinyDsl.Runtime.Gpu.Device;

/// <summary>
/// A batch of a sparse input in device memory: the CSR (row = example) the forward gather and the output kernels
/// read, and for training its transpose (row = feature that occurs in the batch, entries = the examples holding it),
/// which the sparse weight update reads so it touches only the batch's rows of W. Both are built on the host, in
/// page-locked memory, and copied asynchronously into one of two slots: batch k+1 is assembled and copied while the
/// device still runs step k (whose kernels read the other slot).
/// </summary>
internal sealed class GpuSparse : DeviceSparse, IDisposable
{
    private readonly StreamClock _clock;
    private readonly Slot[] _slots;
    private readonly long[] _loadedAt = [-1, -1];
    private int _current = 1;
    private int[] _count = Array.Empty<int>();
    private int[] _featureList = Array.Empty<int>();
    private int[] _hostOffsets = Array.Empty<int>();
    private int[] _hostRows = Array.Empty<int>();
    private float[] _hostValues = Array.Empty<float>();

    public GpuSparse(Accelerator accelerator, DeviceMemory memory, StreamClock clock)
    {
        _clock = clock;
        _slots = [new Slot(accelerator, memory), new Slot(accelerator, memory)];
    }

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

    public void Load(SparseBatch batch, bool forUpdate)
    {
        // The other slot: the one the previous batch's kernels are not reading. Its last use (the batch before the
        // previous one) has finished if the stream was synchronised after the previous batch was loaded.
        var other = _current;
        _current = 1 - _current;
        _clock.WaitFor(_loadedAt[other]);
        _loadedAt[_current] = _clock.Completed;
        var slot = _slots[_current];
        var stream = _clock.Stream;

        Rows = batch.Rows;
        var nnz = batch.Offsets[batch.Rows];
        var offsets = slot.Offsets.Upload(stream, batch.Offsets.AsSpan(0, batch.Rows + 1));
        var columns = slot.Columns.Upload(stream, batch.Columns.AsSpan(0, nnz));
        var values = slot.Values.Upload(stream, batch.Values is { } v ? v.AsSpan(0, nnz) : ReadOnlySpan<float>.Empty);
        Args = new SparseArgs(offsets, columns, values, batch.Values is not null);
        if (forUpdate) Transpose(slot, stream, batch, nnz);
    }

    /// <summary>Counting sort of the batch's entries by column: CSR of the transpose over the columns that occur.</summary>
    private void Transpose(Slot slot, AcceleratorStream stream, SparseBatch batch, int nnz)
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
        // _count[c] becomes the next free entry of column c; _featureList maps the u-th occurring feature to c.
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
                var entry = _count[batch.Columns[k]]++;
                _hostRows[entry] = b;
                _hostValues[entry] = batch.Values is null ? 1f : batch.Values[k];
            }
        }
        FeatureCount = features;
        Features = slot.Features.Upload(stream, _featureList.AsSpan(0, features));
        var tOffsets = slot.TransposedOffsets.Upload(stream, _hostOffsets.AsSpan(0, features + 1));
        var tRows = slot.TransposedRows.Upload(stream, _hostRows.AsSpan(0, nnz));
        var tValues = slot.TransposedValues.Upload(stream, batch.Values is null ? ReadOnlySpan<float>.Empty : _hostValues.AsSpan(0, nnz));
        // Examples stay in batch order within a feature, so the gradient sums them in the CPU's order.
        Transposed = new SparseArgs(tOffsets, tRows, tValues, batch.Values is not null);
    }

    public void Dispose()
    {
        foreach (var s in _slots) s.Dispose();
    }

    /// <summary>One set of device buffers (and their page-locked staging) for a batch.</summary>
    private sealed class Slot(Accelerator accelerator, DeviceMemory memory) : IDisposable
    {
        public PinnedUpload<int> Offsets { get; } = new(accelerator, memory, "a sparse batch");
        public PinnedUpload<int> Columns { get; } = new(accelerator, memory, "a sparse batch");
        public PinnedUpload<float> Values { get; } = new(accelerator, memory, "a sparse batch");
        public PinnedUpload<int> Features { get; } = new(accelerator, memory, "a sparse batch's features");
        public PinnedUpload<int> TransposedOffsets { get; } = new(accelerator, memory, "a sparse batch's transpose");
        public PinnedUpload<int> TransposedRows { get; } = new(accelerator, memory, "a sparse batch's transpose");
        public PinnedUpload<float> TransposedValues { get; } = new(accelerator, memory, "a sparse batch's transpose");

        public void Dispose()
        {
            Offsets.Dispose();
            Columns.Dispose();
            Values.Dispose();
            Features.Dispose();
            TransposedOffsets.Dispose();
            TransposedRows.Dispose();
            TransposedValues.Dispose();
        }
    }
}
