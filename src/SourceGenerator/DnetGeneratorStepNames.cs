namespace DestinyDsl.SourceGenerator;

/// <summary>Tracking names of the generator's pipeline steps (tests index <c>GeneratorRunResult.TrackedSteps</c> with them).</summary>
public static class DnetGeneratorStepNames
{
    /// <summary>The project's RootNamespace, read from the global options.</summary>
    public const string RootNamespace = "DnetRootNamespace";

    /// <summary>Each .dnet AdditionalFile read into path, text and namespace metadata.</summary>
    public const string Files = "DnetFiles";

    /// <summary>The hint-name prefix of every .dnet path (collected: it depends on all paths).</summary>
    public const string HintNames = "DnetHintNames";

    /// <summary>Each file through the Language front end (lexer, parser, binder).</summary>
    public const string Compile = "DnetCompile";

    /// <summary>Each file's networks lowered to kernel plans and emitted as C#.</summary>
    public const string Emit = "DnetEmit";

    /// <summary>The generated sources of each file.</summary>
    public const string Sources = "DnetSources";

    /// <summary>The DNET0999 failures of each file.</summary>
    public const string Failures = "DnetFailures";

    /// <summary>Whether the compilation references DestinyDsl.Runtime.Gpu (a bool read from the compilation's references).</summary>
    public const string GpuReference = "DnetGpuReference";

    /// <summary>Whether the build sets <c>DestinyDslGpuKernels=true</c>, read from the global options.</summary>
    public const string GpuProperty = "DnetGpuProperty";

    /// <summary>Whether the GPU kernels are wanted: the reference or the property.</summary>
    public const string GpuKernels = "DnetGpuKernels";

    /// <summary>Each file's networks lowered and emitted as GPU kernels (nothing when they are not wanted).</summary>
    public const string GpuEmit = "DnetGpuEmit";
}
