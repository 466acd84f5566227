using DestinyDsl.Runtime.Engine.Devices;
using DestinyDsl.Runtime.Gpu.Kernels;
using DestinyDsl.Runtime.Kernels.Fusion;
using ILGPU;
using ILGPU.Runtime;

namespace DestinyDsl.Runtime.Gpu.Device;

/// <summary>
/// The output layer's training pass fused into one kernel after its product: activation, loss delta and the batch
/// loss in a single read of z (the separate kernels would read the 27278-wide output three times and search the
/// sparse targets twice). The loss is left in a per-layer slot on the device; the schedule asks for it later through
/// <see cref="OutputLoss"/>, which returns the slot when it still describes the same output, rows and loss.
/// </summary>
internal sealed partial class GpuDevice
{
    // Per layer: the output buffer, shape and loss the fused pass last summed into the layer's slot.
    private readonly FusedLossLedger _fusedLosses = new();
    private GrowableBuffer<double>? _fusedLossSlots;

    /// <summary>Runs the fused pass when the layer has it; false when the caller must run the separate kernels.</summary>
    private bool TryEpilogueDeltaLoss(int layer, DeviceTensor z, int rows, int n, LayerEpilogue epilogue, OutputDeltaRequest delta)
    {
        var kernel = Layer(layer).EpilogueDeltaLoss;
        if (kernel is null) return false;
        var count = rows * n;
        _fusedLossSlots ??= Own(new GrowableBuffer<double>(_accelerator, _memory, "the fused loss totals"));
        var slot = _fusedLossSlots.Ensure(_kernels.Layers.Length).SubView(layer, 1);
        slot.MemSetToZero(Stream);
        if (count > 0)
        {
            var group = _library.RowGroupSize;
            var groups = (int)Math.Min((count + group - 1) / group, Math.Max(1, _accelerator.MaxNumThreads / group));
            kernel(Stream, new KernelConfig(groups, group), T(z).View, T(delta.Delta).View, count, n, T(epilogue.Bias).View, Targets(delta.Targets), delta.Loss, slot);
        }
        _fusedLosses.Record(layer, z, rows, n, delta.Loss);
        return true;
    }

    /// <summary>Forgets the fused loss of <paramref name="layer"/>: its activations are about to change.</summary>
    private void InvalidateFusedLoss(int layer) => _fusedLosses.Forget(layer);

    /// <summary>The loss the fused pass summed for exactly this output, rows, width and loss, read back once; else false.</summary>
    private bool TryTakeFusedLoss(int layer, DeviceTensor output, int rows, int n, LossParameters loss, out double value)
    {
        value = 0;
        if (!_fusedLosses.TryTake(layer, output, rows, n, loss)) return false;
        _fusedLossSlots!.Ensure(_kernels.Layers.Length).SubView(layer, 1).CopyToCPU(Stream, ref value, 1);
        _clock.Synchronize();
        return true;
    }
}
