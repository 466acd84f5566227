using DestinyDsl.Language.Constructs;
using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Model;
using DestinyDsl.Language.Syntax;

namespace DestinyDsl.Language.Binding;

/// <summary>
/// Binds the optimizer's <c>schedule = NAME(arguments)</c>: the schedule's name, its arguments (each a tunable number
/// under <c>optimizer.schedule.&lt;argument&gt;</c>) and the warm-up every schedule takes.
/// </summary>
internal sealed class ScheduleBinder
{
    private static readonly Tunable Unused = Tunable.Fixed(0);

    private readonly BindingContext _context;
    private readonly ValueBinder _values;
    private readonly ArgumentBinder _arguments;

    public ScheduleBinder(BindingContext context)
    {
        _context = context;
        _values = new ValueBinder(context);
        _arguments = new ArgumentBinder(context);
    }

    /// <summary>The schedule, or null when it is broken (reported); the optimizer then keeps a constant rate.</summary>
    public ScheduleModel? Bind(ValueSyntax value, string optimizer, List<SearchParameter> space)
    {
        var subject = $"the schedule of {optimizer}";
        if (value is not CallSyntax call || call.Name.IsMissing)
        {
            _values.ReportKindMismatch(value, subject, "a schedule (" + Vocabulary.ScheduleList + ")");
            return null;
        }
        var name = call.Name.Text;
        var schedule = Vocabulary.FindIn(Vocabulary.Schedules, name);
        if (schedule is null)
        {
            ReportUnknown(call.Name);
            return null;
        }

        var bound = _arguments.Bind(call, schedule);
        var broken = schedule.Parameters.Any(p => p.Required && !bound.Contains(p.Name)); // reported as missing
        Tunable? Read(string parameterName, Tunable? absent)
        {
            var parameter = schedule.Find(parameterName);
            if (parameter is null) return absent;
            if (bound[parameterName] is not { } written) return parameter.Required ? null : double.IsNaN(parameter.Default) ? absent : Tunable.Fixed(parameter.Default);
            var tunable = _values.Tunable(written, parameter, $"the {parameterName} of {name}", $"optimizer.schedule.{parameterName}", space);
            if (tunable is null) broken = true;
            return tunable;
        }
        // Read in the documented order so the search space lists arguments in that order.
        var every = Read("every", Unused);
        var factor = Read("factor", Unused);
        var decay = Read("decay", Unused);
        var epochs = Read("epochs", null);
        var minFactor = Read("min_factor", Unused);
        var warmup = Read("warmup", Unused);
        var warmupStart = Read("warmup_start", Unused);
        if (broken) return null;
        return new ScheduleModel((ScheduleKind)schedule.Tag!, every!, factor!, decay!, epochs, minFactor!, warmup!, warmupStart!);
    }

    private void ReportUnknown(SyntaxToken name)
    {
        var names = Vocabulary.Schedules.Select(s => s.Name).ToArray();
        var guess = Suggestions.Best(name.Text, names, _context.Budget);
        _context.Report(DiagnosticCatalog.UnknownName, name.Span, "schedule", Lexer.Abbreviate(name.Text),
            guess is not null ? Suggestions.Suffix(name.Text, guess) : "; expected " + Vocabulary.ScheduleList);
    }
}
