using DestinyDsl.Runtime.Gpu.Kernels.Library;
using DestinyDsl.Runtime.Kernels.Fused;

namespace DestinyDsl.Runtime.Gpu.Tests.Kernels;

/// <summary>
/// The batch-norm kernels against the CPU's <c>BatchNormPass</c> (which the engine's tests check against the float64
/// reference), on a ragged shape: training (normalised block, ẑ, 1/σ, running statistics), inference, backward.
/// </summary>
[Collection(SimulatorCollection.Name)]
public sealed class NormKernelTests(LibraryFixture fx)
{
    private const int Rows = 13, N = 29;
    private const float Momentum = 0.3f, Epsilon = 1e-3f;

    private readonly float[] _z = LibraryFixture.Random(Rows * N, seed: 11, lo: -2f, hi: 3f);
    private readonly float[] _bias = LibraryFixture.Random(N, seed: 12);
    private readonly float[] _gamma = LibraryFixture.Random(N, seed: 13, lo: 0.5f, hi: 1.5f);
    private readonly float[] _beta = LibraryFixture.Random(N, seed: 14);
    private readonly float[] _mean = LibraryFixture.Random(N, seed: 15);
    private readonly float[] _var = LibraryFixture.Random(N, seed: 16, lo: 0.5f, hi: 2f);

    [Fact]
    public void TrainingInferenceAndBackwardMatchTheCpuPass()
    {
        // CPU.
        var z = (float[])_z.Clone();
        var mean = (float[])_mean.Clone();
        var variance = (float[])_var.Clone();
        var hat = new float[Rows * N];
        var inv = new float[N];
        BatchNormPass.Train(z, Rows, N, _bias, _gamma, _beta, Momentum, Epsilon, mean, variance, hat, inv);
        var delta = LibraryFixture.Random(Rows * N, seed: 17);
        var dz = (float[])delta.Clone();
        var dGamma = new float[N];
        var dBeta = new float[N];
        BatchNormPass.Backward(dz, Rows, N, hat, _gamma, inv, dGamma, dBeta);
        var inferred = (float[])_z.Clone();
        BatchNormPass.Infer(inferred, Rows, N, _bias, _gamma, _beta, Epsilon, mean, variance);

        // Simulator.
        using var block = fx.Upload(_z);
        using var bias = fx.Upload(_bias);
        using var gamma = fx.Upload(_gamma);
        using var beta = fx.Upload(_beta);
        using var runningMean = fx.Upload(_mean);
        using var runningVar = fx.Upload(_var);
        using var normalized = fx.Upload(new float[Rows * N]);
        using var inverseStd = fx.Upload(new float[N]);
        using var gammaGradient = fx.Upload(new float[N]);
        using var betaGradient = fx.Upload(new float[N]);
        NormArgs Args(ILGPU.ArrayView<float> b) => new(b, Rows, N, bias.View, gamma.View, beta.View, runningMean.View, runningVar.View,
            normalized.View, inverseStd.View, gammaGradient.View, betaGradient.View, Momentum, Epsilon);
        fx.Kernels.BatchNormTrain(fx.Stream, Args(block.View));
        RowKernelTests.Close(z, fx.Download(block), 1e-6);
        RowKernelTests.Close(hat, fx.Download(normalized), 1e-6);
        RowKernelTests.Close(inv, fx.Download(inverseStd), 1e-6);
        RowKernelTests.Close(mean, fx.Download(runningMean), 1e-6);
        RowKernelTests.Close(variance, fx.Download(runningVar), 1e-6);
        Assert.NotEqual(_var, fx.Download(runningVar));

        using var deltaOnDevice = fx.Upload(delta);
        fx.Kernels.BatchNormBackward(fx.Stream, Args(deltaOnDevice.View));
        RowKernelTests.Close(dz, fx.Download(deltaOnDevice), 1e-6);
        RowKernelTests.Close(dGamma, fx.Download(gammaGradient), 1e-6);
        RowKernelTests.Close(dBeta, fx.Download(betaGradient), 1e-6);

        using var again = fx.Upload(_z);
        fx.Kernels.BatchNormInfer(fx.Stream, Args(again.View));
        RowKernelTests.Close(inferred, fx.Download(again), 1e-6);
    }

    [Fact]
    public void ABlockTooShortForItsShapeIsRejectedBeforeLaunch()
    {
        using var block = fx.Upload(new float[(Rows * N) - 1]);
        using var vector = fx.Upload(new float[N]);
        var args = new NormArgs(block.View, Rows, N, vector.View, vector.View, vector.View, vector.View, vector.View, block.View, vector.View, vector.View, vector.View, Momentum, Epsilon);
        Assert.ThrowsAny<ArgumentException>(() => fx.Kernels.BatchNormInfer(fx.Stream, args));
    }
}
