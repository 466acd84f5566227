using ILGPU;
using ILGPU.Runtime;

namespace DestinyDsl.Runtime.Gpu.Kernels.Library;

internal sealed partial class LibraryKernels
{
    /// <summary>
    /// A training batch normalisation of <c>args.Block</c> (z, without the bias): see <see cref="NormKernels.Train"/>.
    /// Every view must hold its [n] (and the block and ẑ their [rows][n]).
    /// </summary>
    public void BatchNormTrain(AcceleratorStream stream, NormArgs args)
    {
        ViewChecks.Holds(args.Normalized, ViewChecks.Count(args.Rows, args.N, nameof(args.N)), nameof(args.Normalized));
        ViewChecks.Holds(args.InverseStd, args.N, nameof(args.InverseStd));
        Launch(stream, args, _normTrain, backward: false);
    }

    /// <summary>An inference batch normalisation with the running statistics: see <see cref="NormKernels.Infer"/>.</summary>
    public void BatchNormInfer(AcceleratorStream stream, NormArgs args) => Launch(stream, args, _normInfer, backward: false);

    /// <summary>The backward pass through a training normalisation (the block holds δy): see <see cref="NormKernels.Backward"/>.</summary>
    public void BatchNormBackward(AcceleratorStream stream, NormArgs args) => Launch(stream, args, _normBackward, backward: true);

    private static void Launch(AcceleratorStream stream, NormArgs a, Action<AcceleratorStream, Index1D, NormArgs> kernel, bool backward)
    {
        var count = ViewChecks.Count(a.Rows, a.N, nameof(a.N));
        ViewChecks.Holds(a.Block, count, nameof(a.Block));
        ViewChecks.Holds(a.Gamma, a.N, nameof(a.Gamma));
        if (backward)
        {
            ViewChecks.Holds(a.Normalized, count, nameof(a.Normalized));
            ViewChecks.Holds(a.InverseStd, a.N, nameof(a.InverseStd));
            ViewChecks.Holds(a.GammaGradient, a.N, nameof(a.GammaGradient));
            ViewChecks.Holds(a.BetaGradient, a.N, nameof(a.BetaGradient));
        }
        else
        {
            ViewChecks.Holds(a.Bias, a.N, nameof(a.Bias));
            ViewChecks.Holds(a.Beta, a.N, nameof(a.Beta));
            ViewChecks.Holds(a.RunningMean, a.N, nameof(a.RunningMean));
            ViewChecks.Holds(a.RunningVar, a.N, nameof(a.RunningVar));
        }
        if (a.N > 0 && a.Rows > 0) kernel(stream, a.N, a);
    }
}
