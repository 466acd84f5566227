using System.Globalization;
using DestinyDsl.Language.Constructs;
using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Model;
using DestinyDsl.Language.Syntax;

namespace DestinyDsl.Language.Binding;

/// <summary>The bound train settings with what later checks need.</summary>
internal sealed record BoundTraining(TrainingModel Model, ArgumentSyntax? Denoising, CallSyntax? SparsenessPenalty);

/// <summary>
/// Binds every <c>train</c> statement of a network (several are merged; a setting given twice is an error).
/// Settings are <c>name = value</c>, plus <c>sparseness_penalty(p, beta)</c>.
/// </summary>
internal sealed class TrainingBinder
{
    private readonly BindingContext _context;
    private readonly ValueBinder _values;
    private readonly ArgumentBinder _arguments;

    public TrainingBinder(BindingContext context)
    {
        _context = context;
        _values = new ValueBinder(context);
        _arguments = new ArgumentBinder(context);
    }

    public BoundTraining Bind(IEnumerable<TrainStatementSyntax> statements, List<SearchParameter> space)
    {
        var settings = new Dictionary<string, ArgumentSyntax>(StringComparer.Ordinal);
        CallSyntax? penalty = null;
        foreach (var statement in statements)
        {
            foreach (var setting in statement.Settings)
            {
                var (name, nameToken) = Identify(setting);
                if (name is null) continue;
                if (settings.ContainsKey(name))
                {
                    _context.Report(DiagnosticCatalog.DuplicateArgument, nameToken!.Span, name, "the train settings");
                    continue;
                }
                settings.Add(name, setting);
                if (name == "sparseness_penalty") penalty = (CallSyntax)setting.Value;
            }
        }

        var train = Vocabulary.Train;
        Tunable Number(string name)
        {
            var parameter = train.Find(name)!;
            var fallback = Tunable.Fixed(parameter.Default);
            if (!settings.TryGetValue(name, out var setting)) return fallback;
            return _values.Tunable(setting.Value, parameter, $"the train setting {name}", $"train.{name}", space) ?? fallback;
        }
        var batch = Number("batch");
        var epochs = Number("epochs");
        var denoising = Number("denoising");
        var shuffle = settings.TryGetValue("shuffle", out var shuffleSetting) ? _values.Switch(shuffleSetting.Value, "the train setting shuffle") ?? true : true;
        var seed = settings.TryGetValue("seed", out var seedSetting) ? Seed(seedSetting.Value) : Vocabulary.DefaultSeed;
        var sparseness = penalty is null ? null : Penalty(penalty, space);

        var model = new TrainingModel(batch, epochs, denoising, shuffle, seed, sparseness);
        return new BoundTraining(model, settings.TryGetValue("denoising", out var d) ? d : null, penalty);
    }

    /// <summary>The setting's name, or null when it is unknown, malformed or unnamed (reported here).</summary>
    private (string? Name, SyntaxToken? Token) Identify(ArgumentSyntax setting)
    {
        if (setting.Name is { } named)
        {
            if (named.IsMissing) return (null, null);
            var parameter = Vocabulary.Train.Find(named.Text);
            if (parameter is null)
            {
                ReportUnknown(named);
                return (null, null);
            }
            if (parameter.Type == ParameterType.SparsenessPenalty)
            {
                _values.ReportKindMismatch(setting.Value, "the train setting sparseness_penalty", "the form sparseness_penalty(p = …, beta = …) without '='");
                return (null, null);
            }
            return (named.Text, named);
        }

        switch (setting.Value)
        {
            case CallSyntax { Name.IsMissing: false } call:
                var name = call.Name.Text;
                if (name == "sparseness_penalty") return (name, call.Name);
                if (Vocabulary.Train.Find(name) is not null)
                    _context.Report(DiagnosticCatalog.UnnamedSetting, call.Span, $"'{name}' has no value: write '{name} = …'");
                else
                    ReportUnknown(call.Name);
                return (null, null);
            case MissingValueSyntax:
            case CallSyntax:
            case NumberSyntax { Number.IsMissing: true }:
                return (null, null);
            default:
                var text = Lexer.Abbreviate(_context.Text.Text.Substring(setting.Span.Start, setting.Span.Length));
                _context.Report(DiagnosticCatalog.UnnamedSetting, setting.Span, $"'{text}' has no name");
                return (null, null);
        }
    }

    private void ReportUnknown(SyntaxToken name)
    {
        if (Vocabulary.UnsupportedTrainSettings.TryGetValue(name.Text, out var why))
        {
            _context.Report(DiagnosticCatalog.NotSupported, name.Span, name.Text, why);
            return;
        }
        var guess = Suggestions.Best(name.Text, Vocabulary.Train.Parameters.Select(p => p.Name).ToArray(), _context.Budget);
        string detail;
        if (guess is not null) detail = Suggestions.Suffix(name.Text, guess);
        else if (Vocabulary.Optimizers.Any(o => o.Find(name.Text) is not null)) detail = $"; '{name.Text}' is an argument of the optimizer: write 'optimizer …({name.Text} = …)'";
        else if (Vocabulary.Losses.Any(l => l.Find(name.Text) is not null)) detail = $"; '{name.Text}' is an argument of the loss";
        else detail = "; expected batch, epochs, denoising, shuffle, seed or sparseness_penalty(p, beta)";
        _context.Report(DiagnosticCatalog.UnknownName, name.Span, "train setting", Lexer.Abbreviate(name.Text), detail);
    }

    private long Seed(ValueSyntax value)
    {
        var parameter = Vocabulary.Train.Find("seed")!;
        var number = _values.Constant(value, parameter, "the train setting seed");
        if (number is null) return Vocabulary.DefaultSeed;
        // Parse the digits themselves: a double cannot hold every 64-bit seed exactly.
        if (value is NumberSyntax { Sign: null } syntax && long.TryParse(syntax.Number.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var exact)) return exact;
        return number.Value >= long.MaxValue ? long.MaxValue : (long)number.Value;
    }

    private SparsenessPenaltyModel? Penalty(CallSyntax call, List<SearchParameter> space)
    {
        var construct = Vocabulary.SparsenessPenalty;
        var bound = _arguments.Bind(call, construct);
        Tunable? Read(ParameterInfo parameter) =>
            bound[parameter.Name] is { } value
                ? _values.Tunable(value, parameter, $"the {parameter.Name} of sparseness_penalty", $"train.sparseness_penalty.{parameter.Name}", space)
                : null;
        var p = Read(construct.Parameters[0]);
        var beta = Read(construct.Parameters[1]);
        return p is null || beta is null ? null : new SparsenessPenaltyModel(p, beta);
    }
}
