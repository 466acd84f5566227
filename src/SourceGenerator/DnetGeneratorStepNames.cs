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
}
