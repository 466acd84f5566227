using DestinyDsl.Runtime.Engine;
using DestinyDsl.Runtime.Engine.Devices;
using DestinyDsl.Runtime.Gpu.Blas;
using DestinyDsl.Runtime.Gpu.Kernels;
using DestinyDsl.Runtime.Gpu.Kernels.Library;
using DestinyDsl.Runtime.Kernels.Fused;
using DestinyDsl.Runtime.Kernels.Fusion;
using ILGPU;
using ILGPU.Runtime;

namespace DestinyDsl.Runtime.Gpu.Device;

/// <summary>
/// One shard on one GPU (or on ILGPU's CPU accelerator, the simulator): device buffers allocated once per model,
/// the network's generated ILGPU kernels and the runtime's own (row statistics, column sums, reshuffles), products
/// through cuBLAS (or the tiled kernel where there is none), all on one stream. Host copies happen only where the
/// schedule hands data to a collective or to the caller.
/// </summary>
/// <remarks>Split in files: buffers and copies (here), layer kernels, optimizer, statistics.</remarks>
internal sealed partial class GpuDevice : IShardDevice
{
    private readonly Accelerator _accelerator;
    private readonly bool _ownsAccelerator;
    private readonly AcceleratorStream _stream;
    private readonly StreamClock _clock;
    private readonly DeviceMemory _memory;
    private readonly LoadedKernels _kernels;
    private readonly LibraryKernels _library;
    private readonly LoadedDeviceKernels _deviceKernels;
    private readonly IGpuBlas _blas;
    private readonly List<IDisposable> _owned = new();

    // Scratch: the dense gradient of the largest parameter tensor, small row/column vectors, the loss total.
    private readonly GrowableBuffer<float> _gradient;
    private readonly GrowableBuffer<float> _vector;
    private readonly GrowableBuffer<double> _rows;
    private readonly GrowableBuffer<double> _total;
    private readonly GrowableBuffer<int> _flag;
    private readonly GrowableBuffer<float> _upload;
    private readonly GrowableBuffer<int> _topKExcludeOffsets;
    private readonly GrowableBuffer<int> _topKExcludeColumns;
    private readonly GrowableBuffer<int> _topKIndices;
    private readonly GrowableBuffer<float> _topKValues;
    private readonly GrowableBuffer<int> _topKCounts;

    public GpuDevice(Accelerator accelerator, bool ownsAccelerator, GpuKernelSet kernels, string name, GpuOptions options)
    {
        _accelerator = accelerator;
        _ownsAccelerator = ownsAccelerator;
        Name = name;
        _memory = new DeviceMemory(name, options.MemoryBudget);
        _stream = accelerator.CreateStream();
        _clock = new StreamClock(_stream);
        _kernels = new LoadedKernels(accelerator, kernels);
        _library = LibraryKernels.For(accelerator);
        _deviceKernels = new LoadedDeviceKernels(accelerator);
        _blas = GpuBlas.Create(accelerator, options.AllowTf32);
        _gradient = Own(new GrowableBuffer<float>(accelerator, _memory, "the weight gradient"));
        _vector = Own(new GrowableBuffer<float>(accelerator, _memory, "row and column statistics"));
        _rows = Own(new GrowableBuffer<double>(accelerator, _memory, "row statistics"));
        _total = Own(new GrowableBuffer<double>(accelerator, _memory, "the loss total"));
        _flag = Own(new GrowableBuffer<int>(accelerator, _memory, "a flag"));
        _upload = Own(new GrowableBuffer<float>(accelerator, _memory, "host staging"));
        _topKExcludeOffsets = Own(new GrowableBuffer<int>(accelerator, _memory, "top-k exclusions"));
        _topKExcludeColumns = Own(new GrowableBuffer<int>(accelerator, _memory, "top-k exclusions"));
        _topKIndices = Own(new GrowableBuffer<int>(accelerator, _memory, "top-k results"));
        _topKValues = Own(new GrowableBuffer<float>(accelerator, _memory, "top-k results"));
        _topKCounts = Own(new GrowableBuffer<int>(accelerator, _memory, "top-k results"));
    }

    public string Name { get; }

    /// <summary>Device memory in use and at its peak.</summary>
    public DeviceMemory Memory => _memory;

    /// <summary>The accelerator this device computes on.</summary>
    public Accelerator Accelerator => _accelerator;

    public DeviceTensor Allocate(long length)
    {
        var stream = Stream;
        var t = Own(new GpuTensor(_accelerator, _memory, length));
        _library.Clear(stream, t.View, (int)t.View.Length);
        return t;
    }

    public DeviceSparse AllocateSparse() => Own(new GpuSparse(_accelerator, _memory, _clock));

    public void LoadSparse(DeviceSparse target, SparseBatch batch, bool forUpdate)
    {
        _ = Stream;   // bound before the batch's buffers grow
        ((GpuSparse)target).Load(batch, forUpdate);
    }

    public bool TryGetHost(DeviceTensor tensor, out float[] array)
    {
        array = Array.Empty<float>();
        return false;
    }

    public void Download(DeviceTensor source, long offset, Span<float> destination)
    {
        if (destination.IsEmpty) return;
        T(source).View.SubView(offset, destination.Length).CopyToCPU(Stream, ref System.Runtime.InteropServices.MemoryMarshal.GetReference(destination), destination.Length);
        _clock.Synchronize();
    }

    public void Upload(ReadOnlySpan<float> source, DeviceTensor destination, long offset)
    {
        if (source.IsEmpty) return;
        T(destination).View.SubView(offset, source.Length).CopyFromCPU(Stream, ref System.Runtime.InteropServices.MemoryMarshal.GetReference(source), source.Length);
        _clock.Synchronize();
    }

    public void AddFromHost(ReadOnlySpan<float> source, DeviceTensor destination, long offset)
    {
        if (source.IsEmpty) return;
        var staged = _upload.Upload(Stream, source);
        _library.Add(Stream, T(destination).View.SubView(offset, source.Length), staged.SubView(0, source.Length), source.Length);
    }

    public void Clear(DeviceTensor tensor, long offset, long count)
    {
        if (count > 0) _library.Clear(Stream, T(tensor).View.SubView(offset, count), (int)count);
    }

    public void Dispose()
    {
        _ = Stream;
        _clock.Synchronize();
        for (var i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _blas.Dispose();
        _stream.Dispose();
        if (_ownsAccelerator) _accelerator.Dispose();
    }

    /// <summary>
    /// The stream, with the accelerator bound to the calling thread first: a CUDA context is current per thread, and
    /// the shards of a group run on threads of their own (a new one per Train/Predict call).
    /// </summary>
    private AcceleratorStream Stream
    {
        get
        {
            if (!ReferenceEquals(_boundOnThisThread, _accelerator))
            {
                _accelerator.Bind();
                _boundOnThisThread = _accelerator;
            }
            return _stream;
        }
    }

    [ThreadStatic]
    private static Accelerator? _boundOnThisThread;

    private TOwned Own<TOwned>(TOwned item) where TOwned : IDisposable
    {
        _owned.Add(item);
        return item;
    }

    private static GpuTensor T(DeviceTensor t) => (GpuTensor)t;

    private static DropoutArgs Mask(DropoutMask mask) => new(mask);
}
