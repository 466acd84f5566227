namespace DestinyDsl.SourceGenerator.Emit;

/// <summary>Fully qualified names of the runtime types generated code uses (always <c>global::</c>, so user types never shadow them).</summary>
internal static class RuntimeTypes
{
    public const string Model = "global::DestinyDsl.Runtime.Model";
    public const string DeviceGroup = "global::DestinyDsl.Runtime.Distributed.DeviceGroup";
    public const string Specs = "global::DestinyDsl.Runtime.Specs";
    public const string NetworkSpec = Specs + ".NetworkSpec";
    public const string LayerSpec = Specs + ".LayerSpec";
    public const string TiedEdgeSpec = Specs + ".TiedEdgeSpec";

    public const string BatchNormSpec = Specs + ".BatchNormSpec";
    public const string ActivationSpec = Specs + ".ActivationSpec";
    public const string InitSpec = Specs + ".InitSpec";
    public const string LossSpec = Specs + ".LossSpec";
    public const string OptimizerSpec = Specs + ".OptimizerSpec";
    public const string LearningRateScheduleSpec = Specs + ".LearningRateScheduleSpec";
    public const string TrainingSpec = Specs + ".TrainingSpec";
    public const string Kernels = "global::DestinyDsl.Runtime.Kernels";
    public const string KernelSet = Kernels + ".KernelSet";
    public const string LayerKernels = Kernels + ".LayerKernels";
    public const string HiddenLayerKernels = Kernels + ".HiddenLayerKernels";
    public const string OutputLayerKernels = Kernels + ".OutputLayerKernels";
    public const string UpdateKernels = Kernels + ".UpdateKernels";
    public const string IHiddenLayerOps = Kernels + ".Fusion.IHiddenLayerOps";
    public const string IOutputLayerOps = Kernels + ".Fusion.IOutputLayerOps";
    public const string IUpdateRule = Kernels + ".Fusion.IUpdateRule";
    public const string LossParameters = Kernels + ".Fusion.LossParameters";
    public const string UpdateContext = Kernels + ".Fusion.UpdateContext";
    public const string ISimd = Kernels + ".Simd.ISimd";
    public const string SearchSpace = "global::DestinyDsl.Runtime.Tuning.SearchSpace";
    public const string SearchDimension = "global::DestinyDsl.Runtime.Tuning.SearchDimension";
    public const string ModelOptions = "global::DestinyDsl.Runtime.Tuning.ModelOptions";
    public const string ModelTuner = "global::DestinyDsl.Runtime.Tuning.Models.ModelTuner";
    public const string ModelTuningSettings = "global::DestinyDsl.Runtime.Tuning.Models.ModelTuningSettings";
    public const string ModelTuningResult = "global::DestinyDsl.Runtime.Tuning.Models.ModelTuningResult";
    public const string NetworkData = "global::DestinyDsl.Runtime.Training.NetworkData";
    public const string TrainingOptions = "global::DestinyDsl.Runtime.Training.TrainingOptions";
    public const string TrainingProgress = "global::DestinyDsl.Runtime.Training.TrainingProgress";
    public const string TrainingReport = "global::DestinyDsl.Runtime.Training.TrainingReport";
    public const string EvaluationReport = "global::DestinyDsl.Runtime.Training.EvaluationReport";
    public const string Recommendation = "global::DestinyDsl.Runtime.Training.Recommendation";
    public const string SparseMatrix = "global::DestinyDsl.Runtime.Data.SparseMatrix";
    public const string DenseMatrix = "global::DestinyDsl.Runtime.Data.DenseMatrix";
    public const string GpuKernels = "global::DestinyDsl.Runtime.Gpu.Kernels";
    public const string GpuKernelRegistry = GpuKernels + ".GpuKernelRegistry";
    public const string GpuKernelSet = GpuKernels + ".GpuKernelSet";
    public const string GpuLayerKernels = GpuKernels + ".GpuLayerKernels";
    public const string GpuHiddenKernels = GpuKernels + ".GpuHiddenKernels";
    public const string GpuOutputKernels = GpuKernels + ".GpuOutputKernels";
    public const string GpuUpdateKernels = GpuKernels + ".GpuUpdateKernels";
    public const string DropoutArgs = GpuKernels + ".DropoutArgs";
    public const string SparseArgs = GpuKernels + ".SparseArgs";
    public const string TargetArgs = GpuKernels + ".TargetArgs";
    public const string GroupSum = GpuKernels + ".GroupSum";
    public const string Index1D = "global::ILGPU.Index1D";
    public const string FloatView = "global::ILGPU.ArrayView<float>";
    public const string IntView = "global::ILGPU.ArrayView<int>";
    public const string DoubleView = "global::ILGPU.ArrayView<double>";

    /// <summary>The constraint every generated formula method carries.</summary>
    public const string SimdConstraint = "where TV : struct, " + ISimd + "<TV>";

    /// <summary>Members the runtime's <c>Model</c> base class and <c>object</c> already define.</summary>
    public static readonly string[] ModelMembers =
    {
        "Spec", "Kernels", "Devices", "Step", "RefreshSpec", "Train", "Loss", "Evaluate", "Predict", "Recommend", "RecommendAll",
        "GetWeights", "GetBias", "Save", "Load", "Dispose", "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone",
        "Finalize", "ReferenceEquals",
    };
}
