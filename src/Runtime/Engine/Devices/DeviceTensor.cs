using DestinyDsl.Runtime.Kernels.Fused;

namespace DestinyDsl.Runtime.Engine.Devices;

/// <summary>A float buffer that lives where its device computes (host memory for the CPU, device memory for a GPU).</summary>
internal abstract class DeviceTensor
{
    /// <summary>Number of floats.</summary>
    public abstract long Length { get; }
}

/// <summary>A mini-batch of a sparse input (CSR) where the device reads it; refilled every batch.</summary>
internal abstract class DeviceSparse
{
}

/// <summary>
/// An output layer's targets for the loaded batch, as the device reads them: sparse (CSR) or dense ([rows][Ld]); with
/// the batch's example weights ([rows], null = every weight 1) that multiply each row's loss and delta.
/// </summary>
internal sealed record DeviceTargets(DeviceSparse? Sparse, DeviceTensor? Dense, int Ld)
{
    /// <summary>The weight of each batch row, or null when every example weighs 1.</summary>
    public DeviceTensor? Weights { get; init; }

    public static DeviceTargets FromSparse(DeviceSparse sparse) => new(sparse, null, 0);

    public static DeviceTargets FromDense(DeviceTensor dense, int ld) => new(null, dense, ld);
}

/// <summary>A parameter tensor with the optimizer's state shaped like it (states absent when the rule keeps fewer).</summary>
internal sealed record ParameterTensors(DeviceTensor Values, DeviceTensor? State1, DeviceTensor? State2)
{
    /// <summary>Part 0 = the parameters, 1 and 2 = the states.</summary>
    public DeviceTensor? Part(int part) => part switch { 0 => Values, 1 => State1, _ => State2 };
}

/// <summary>The output delta an output product may compute in the same pass: where it goes and what it reads.</summary>
internal sealed record OutputDeltaRequest(DeviceTensor Delta, DeviceTargets Targets, Kernels.Fusion.LossParameters Loss);

/// <summary>A layer's forward epilogue: its biases and this step's dropout mask.</summary>
internal readonly record struct LayerEpilogue(DeviceTensor Bias, DropoutMask Mask);
