using DestinyDsl.Runtime.Kernels.Fusion;

namespace DestinyDsl.Runtime.Engine.Devices;

/// <summary>
/// Which output each layer's fused loss was last summed for: a device whose output product also sums the loss
/// (the CPU's loss chunks, the GPU's per-layer slot) records it here, and <see cref="IShardDevice.OutputLoss"/> uses
/// that sum only for exactly the same output buffer, rows, width and loss, once; anything that rewrites the output
/// forgets it, so a stale sum is never returned.
/// </summary>
internal sealed class FusedLossLedger
{
    private FusedLoss?[] _entries = Array.Empty<FusedLoss?>();

    private sealed record FusedLoss(DeviceTensor Output, int Rows, int N, LossParameters Loss);

    /// <summary>The layer's fused sum now describes <paramref name="output"/> (rows × n) under <paramref name="loss"/>.</summary>
    public void Record(int layer, DeviceTensor output, int rows, int n, LossParameters loss)
    {
        if (_entries.Length <= layer) Array.Resize(ref _entries, layer + 1);
        _entries[layer] = new FusedLoss(output, rows, n, loss);
    }

    /// <summary>True (once) when the layer's fused sum describes exactly this request; the entry is gone either way.</summary>
    public bool TryTake(int layer, DeviceTensor output, int rows, int n, LossParameters loss)
    {
        if (layer < 0 || layer >= _entries.Length || _entries[layer] is not { } fused) return false;
        _entries[layer] = null;   // read once: a second request recomputes
        return ReferenceEquals(fused.Output, output) && fused.Rows == rows && fused.N == n && fused.Loss == loss;
    }

    /// <summary>Forgets the layer's fused sum: its activations are about to change.</summary>
    public void Forget(int layer)
    {
        if (layer >= 0 && layer < _entries.Length) _entries[layer] = null;
    }

    /// <summary>Forgets every fused sum of <paramref name="output"/>: the buffer is about to be rewritten.</summary>
    public void ForgetOutput(DeviceTensor output)
    {
        for (var i = 0; i < _entries.Length; i++)
        {
            if (_entries[i] is { } fused && ReferenceEquals(fused.Output, output)) _entries[i] = null;
        }
    }
}
