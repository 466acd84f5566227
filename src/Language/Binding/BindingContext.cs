using System.Globalization;
using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Text;

namespace DestinyDsl.Language.Binding;

/// <summary>What every binder step shares for one file: the diagnostics, the text, and the suggestion budget.</summary>
internal sealed class BindingContext
{
    public BindingContext(DiagnosticBag diagnostics, SourceText text)
    {
        Diagnostics = diagnostics;
        Text = text;
        // Roughly 50 million character comparisons at most, so a file with 100k unknown names stays fast.
        Budget = new SuggestionBudget(50_000_000);
    }

    public DiagnosticBag Diagnostics { get; }

    public SourceText Text { get; }

    public SuggestionBudget Budget { get; }

    public void Report(DiagnosticDescriptorInfo descriptor, SourceSpan span, params object?[] args) => Diagnostics.Report(descriptor, span, args);

    /// <summary>A number as messages show it (shortest round-trip form, invariant culture).</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Upper-cases the first letter, for subjects that open a message.</summary>
    public static string Sentence(string subject) =>
        subject.Length == 0 ? subject : char.ToUpperInvariant(subject[0]) + subject.Substring(1);
}
