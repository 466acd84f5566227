using DestinyDsl.Language.Constructs;
using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Syntax;

namespace DestinyDsl.Language.Binding;

/// <summary>The arguments of one call matched to the construct's parameters.</summary>
internal sealed class BoundArguments
{
    private readonly Dictionary<string, ArgumentSyntax> _byName = new(StringComparer.Ordinal);

    public BoundArguments(ConstructInfo construct) => Construct = construct;

    public ConstructInfo Construct { get; }

    /// <summary>The value written for <paramref name="parameter"/>, or null when it was not written.</summary>
    public ValueSyntax? this[string parameter] => _byName.TryGetValue(parameter, out var argument) ? argument.Value : null;

    public bool Contains(string parameter) => _byName.ContainsKey(parameter);

    internal bool TryAdd(string parameter, ArgumentSyntax argument)
    {
        if (_byName.ContainsKey(parameter)) return false;
        _byName.Add(parameter, argument);
        return true;
    }
}

/// <summary>
/// Matches positional (documented order) and named arguments to parameters, and reports unknown, duplicate,
/// surplus and missing required arguments.
/// </summary>
internal sealed class ArgumentBinder
{
    private readonly BindingContext _context;

    public ArgumentBinder(BindingContext context) => _context = context;

    /// <param name="unsupported">Argument names that are reserved but not supported yet (DNET0140), with why.</param>
    /// <param name="elsewhere">Explains where a known name belongs when it is not this construct's (e.g. "it is an argument of adam").</param>
    public BoundArguments Bind(CallSyntax call, ConstructInfo construct, IReadOnlyDictionary<string, string>? unsupported = null, Func<string, string?>? elsewhere = null)
    {
        var bound = new BoundArguments(construct);
        var arguments = call.Arguments?.Arguments ?? Array.Empty<ArgumentSyntax>();
        var where = $"'{construct.Name}'";
        var position = 0;
        var positionalCount = arguments.Count(a => a.Name is null && a.Value is not MissingValueSyntax);
        var broken = call.Arguments is { CloseParen.IsMissing: true } || arguments.Any(a => a.Value is MissingValueSyntax);
        var reportedSurplus = false;

        foreach (var argument in arguments)
        {
            ParameterInfo? parameter;
            if (argument.Name is null)
            {
                if (argument.Value is MissingValueSyntax) continue;
                if (position >= construct.Parameters.Count)
                {
                    if (!reportedSurplus)
                        _context.Report(DiagnosticCatalog.TooManyArguments, argument.Span, construct.Name, construct.Parameters.Count, positionalCount);
                    reportedSurplus = true;
                    continue;
                }
                parameter = construct.Parameters[position++];
            }
            else
            {
                var name = argument.Name.Text;
                parameter = construct.Find(name);
                if (parameter is null)
                {
                    ReportUnknown(argument.Name, construct, unsupported, elsewhere);
                    continue;
                }
            }
            if (!bound.TryAdd(parameter.Name, argument))
                _context.Report(DiagnosticCatalog.DuplicateArgument, argument.Name?.Span ?? argument.Span, parameter.Name, where);
        }

        if (!broken)
        {
            foreach (var parameter in construct.Parameters)
            {
                if (parameter.Required && !bound.Contains(parameter.Name))
                    _context.Report(DiagnosticCatalog.MissingArgument, call.Name.Span, construct.Name, parameter.Name);
            }
        }
        return bound;
    }

    private void ReportUnknown(SyntaxToken name, ConstructInfo construct, IReadOnlyDictionary<string, string>? unsupported, Func<string, string?>? elsewhere)
    {
        if (unsupported is not null && unsupported.TryGetValue(name.Text, out var why))
        {
            _context.Report(DiagnosticCatalog.NotSupported, name.Span, name.Text, why);
            return;
        }
        var guess = Suggestions.Best(name.Text, construct.Parameters.Select(p => p.Name).ToArray(), _context.Budget);
        string detail;
        if (guess is not null) detail = Suggestions.Suffix(name.Text, guess);
        else if (elsewhere?.Invoke(name.Text) is { } note) detail = $"; {note}; '{construct.Name}' takes {construct.ParameterList}";
        else detail = construct.Parameters.Count == 0 ? $"; it takes no arguments" : $"; it takes {construct.ParameterList}";
        _context.Report(DiagnosticCatalog.UnknownArgument, name.Span, construct.Name, Lexer.Abbreviate(name.Text), detail);
    }
}
