using DestinyDsl.Language.Text;

namespace DestinyDsl.Language.Diagnostics;

/// <summary>Collects the diagnostics of one file as the lexer, parser and binder find them.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<DnetDiagnostic> _items = new();

    public DiagnosticBag(string filePath) => FilePath = filePath ?? string.Empty;

    public string FilePath { get; }

    public int Count => _items.Count;

    public bool HasErrors => ErrorCount > 0;

    public int ErrorCount { get; private set; }

    public IReadOnlyList<DnetDiagnostic> Items => _items;

    public void Report(DiagnosticDescriptorInfo descriptor, SourceSpan span, params object?[] args)
    {
        var diagnostic = DiagnosticCatalog.Create(descriptor, FilePath, span, args);
        if (diagnostic.Severity == DnetSeverity.Error) ErrorCount++;
        _items.Add(diagnostic);
    }

    public void AddRange(IEnumerable<DnetDiagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            if (d.Severity == DnetSeverity.Error) ErrorCount++;
            _items.Add(d);
        }
    }
}
