using System.Collections.Immutable;
using DestinyDsl.Language;
using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Roslyn;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using SourceText = Microsoft.CodeAnalysis.Text.SourceText;

namespace DestinyDsl.Analyzers;

/// <summary>
/// Reports every diagnostic of every <c>.dnet</c> AdditionalFile (errors and warnings), located in the file, live
/// in the IDE and in command-line builds. The generator reports none of these (it skips files with errors), so
/// each appears exactly once. Never throws: a failure becomes DNET0999 at the file.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DnetFileAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DnetDescriptors.All;

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterAdditionalFileAction(AnalyzeFile);
    }

    private static void AnalyzeFile(AdditionalFileAnalysisContext context)
    {
        var file = context.AdditionalFile;
        if (!DnetBuildOptions.IsDnetFile(file.Path)) return;
        try
        {
            var text = file.GetText(context.CancellationToken);
            // An unreadable file is reported once, by the generator (DNET0999).
            if (text is null) return;
            var options = context.Options.AnalyzerConfigOptionsProvider;
            var defaultNamespace = DnetBuildOptions.DefaultNamespace(options.GlobalOptions, options.GetOptions(file));
            var helpUrl = DnetBuildOptions.DiagnosticsHelpUrl(options.GlobalOptions);
            var result = DnetCompiler.Compile(text.ToString(), file.Path, defaultNamespace);
            foreach (var diagnostic in result.Diagnostics)
            {
                context.ReportDiagnostic(ToRoslyn(diagnostic, file.Path, text, helpUrl));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.ReportDiagnostic(Diagnostic.Create(DnetRoslynDiagnostics.InternalError, DnetRoslynDiagnostics.FileLocation(file.Path),
                DnetRoslynDiagnostics.AnalyzerFailure(DnetRoslynDiagnostics.Describe(e))));
        }
    }

    /// <summary>The Roslyn diagnostic of a .dnet one, located in the file the compiler knows (its path, its text).</summary>
    internal static Diagnostic ToRoslyn(DnetDiagnostic diagnostic, string path, SourceText text, string? helpUrl = null)
    {
        var location = DnetRoslynDiagnostics.ToLocation(path, text, diagnostic.Span);
        var descriptor = DnetDescriptors.Find(diagnostic.Id, helpUrl);
        if (descriptor is null)
        {
            return Diagnostic.Create(DnetRoslynDiagnostics.InternalError, location,
                DnetRoslynDiagnostics.AnalyzerFailure($"diagnostic id '{diagnostic.Id}' is not in the catalog (its message: {diagnostic.Message})"));
        }
        // The catalog fixes each id's severity; the diagnostic's own is used in case an id reports at several.
        return Diagnostic.Create(descriptor, location, DnetDescriptors.ToRoslyn(diagnostic.Severity), additionalLocations: null, properties: null, diagnostic.Message);
    }
}
