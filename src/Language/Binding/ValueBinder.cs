using DestinyDsl.Language.Constructs;
using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Model;
using DestinyDsl.Language.Syntax;
using DestinyDsl.Language.Text;

namespace DestinyDsl.Language.Binding;

/// <summary>
/// Reads values: numbers (checked against their parameter's rule), search ranges (checked and collected into the
/// search space), constants and switches. Every method returns null for a value that is broken; the problem has
/// then been reported (here, or by the parser), so callers fall back silently and nothing cascades.
/// </summary>
internal sealed class ValueBinder
{
    private readonly BindingContext _context;

    public ValueBinder(BindingContext context) => _context = context;

    /// <summary>A number that may carry <c>tune(...)</c>/<c>choice(...)</c>; a valid range is added to <paramref name="space"/> under <paramref name="path"/>.</summary>
    public Tunable? Tunable(ValueSyntax value, ParameterInfo parameter, string subject, string path, List<SearchParameter> space)
    {
        switch (value)
        {
            case NumberSyntax number:
            {
                if (double.IsNaN(number.Value))
                {
                    if (number.Range is not null) BindRangeOnly(number.Range, parameter, subject);
                    return null;
                }
                var valid = Check(number.Value, parameter.Rule, subject, number.NumberSpan, number.Text);
                if (number.Range is null) return valid ? Model.Tunable.Fixed(number.Value) : null;
                if (!parameter.IsTunable)
                {
                    _context.Report(DiagnosticCatalog.NotTunable, number.Range.Keyword.Span, BindingContext.Sentence(subject), parameter.NotTunableReason);
                    return valid ? Model.Tunable.Fixed(number.Value) : null;
                }
                var range = number.Range is TuneSyntax tune
                    ? (SearchRange?)BindTune(tune, parameter, subject, number)
                    : BindChoice((ChoiceSyntax)number.Range, parameter, subject, number);
                if (!valid || range is null) return null;
                space.Add(new SearchParameter(path, number.Value, range));
                return new Tunable(number.Value, range);
            }
            case ChoiceValueSyntax bare:
            {
                if (!parameter.IsTunable)
                {
                    _context.Report(DiagnosticCatalog.NotTunable, bare.Choice.Keyword.Span, BindingContext.Sentence(subject), parameter.NotTunableReason);
                    return null;
                }
                var range = BindChoice(bare.Choice, parameter, subject, null);
                if (range is null) return null;
                var first = range.Choices[0];
                space.Add(new SearchParameter(path, first, range));
                return new Tunable(first, range);
            }
            default:
                ReportKindMismatch(value, subject, "a number");
                return null;
        }
    }

    /// <summary>A number that cannot be tuned (activation parameters, init, bias, max_norm, seed).</summary>
    public double? Constant(ValueSyntax value, ParameterInfo parameter, string subject)
    {
        switch (value)
        {
            case NumberSyntax number:
                if (number.Range is not null)
                    _context.Report(DiagnosticCatalog.NotTunable, number.Range.Keyword.Span, BindingContext.Sentence(subject), parameter.NotTunableReason);
                if (double.IsNaN(number.Value)) return null;
                return Check(number.Value, parameter.Rule, subject, number.NumberSpan, number.Text) ? number.Value : null;
            case ChoiceValueSyntax bare:
                _context.Report(DiagnosticCatalog.NotTunable, bare.Choice.Keyword.Span, BindingContext.Sentence(subject), parameter.NotTunableReason);
                return null;
            default:
                ReportKindMismatch(value, subject, "a number");
                return null;
        }
    }

    /// <summary><c>true</c> or <c>false</c>.</summary>
    public bool? Switch(ValueSyntax value, string subject)
    {
        if (value is KeywordValueSyntax { Keyword.Kind: SyntaxKind.TrueKeyword }) return true;
        if (value is KeywordValueSyntax { Keyword.Kind: SyntaxKind.FalseKeyword }) return false;
        ReportKindMismatch(value, subject, "true or false");
        return null;
    }

    public void ReportKindMismatch(ValueSyntax value, string subject, string expected)
    {
        var found = value switch
        {
            MissingValueSyntax => null,
            NumberSyntax { Number.IsMissing: true } => null,
            NumberSyntax number => $"the number {number.Text}",
            KeywordValueSyntax keyword => $"'{keyword.Keyword.Text}'",
            CallSyntax { Name.IsMissing: true } => null,
            CallSyntax call => $"'{Lexer.Abbreviate(call.Name.Text)}'",
            ChoiceValueSyntax => "choice(...)",
            _ => null,
        };
        if (found is not null) _context.Report(DiagnosticCatalog.ValueKindMismatch, value.Span, BindingContext.Sentence(subject), expected, found);
    }

    /// <summary>Checks a value against its rule, reporting through the rule's own diagnostic.</summary>
    public bool Check(double value, ValueRule rule, string subject, SourceSpan span, string text)
    {
        var sentence = BindingContext.Sentence(subject);
        switch (rule)
        {
            case ValueRule.Probability when !(value >= 0 && value < 1):
                _context.Report(DiagnosticCatalog.ProbabilityOutOfRange, span, sentence, "[0, 1)", text);
                return false;
            case ValueRule.ClosedProbability when !(value >= 0 && value <= 1):
                _context.Report(DiagnosticCatalog.ProbabilityOutOfRange, span, sentence, "[0, 1]", text);
                return false;
            case ValueRule.SparsenessTarget when !(value > 0 && value < 1):
                _context.Report(DiagnosticCatalog.SparsenessTargetOutOfRange, span, sentence, text);
                return false;
            case ValueRule.LearningRate when !(value > 0):
                _context.Report(DiagnosticCatalog.NonPositiveLearningRate, span, sentence, text);
                return false;
            case ValueRule.Count when !(IsInteger(value) && value >= 1 && value <= int.MaxValue):
                _context.Report(DiagnosticCatalog.InvalidCount, span, sentence, text);
                return false;
            case ValueRule.Width when !(IsInteger(value) && value >= 1 && value <= int.MaxValue):
                _context.Report(DiagnosticCatalog.InvalidWidth, span, sentence, text);
                return false;
            case ValueRule.Positive when !(value > 0):
                _context.Report(DiagnosticCatalog.ValueOutOfRange, span, sentence, "greater than 0", text);
                return false;
            case ValueRule.NonNegative when !(value >= 0):
                _context.Report(DiagnosticCatalog.ValueOutOfRange, span, sentence, "0 or more", text);
                return false;
            case ValueRule.NonNegativeInteger when !(IsInteger(value) && value >= 0 && value < 9223372036854775808.0):
                _context.Report(DiagnosticCatalog.ValueOutOfRange, span, sentence, "a whole number, 0 or more", text);
                return false;
            case ValueRule.Factor when !(value > 0 && value <= 1):
                _context.Report(DiagnosticCatalog.ValueOutOfRange, span, sentence, "in (0, 1]", text);
                return false;
            case ValueRule.EpochCount when !(IsInteger(value) && value >= 0 && value <= int.MaxValue):
                _context.Report(DiagnosticCatalog.ValueOutOfRange, span, sentence, "a whole number of epochs from 0 to 2147483647", text);
                return false;
            default:
                return true;
        }
    }

    public static bool IsInteger(double value) => !double.IsNaN(value) && !double.IsInfinity(value) && Math.Floor(value) == value;

    private static bool RuleIsInteger(ValueRule rule) => rule is ValueRule.Count or ValueRule.Width or ValueRule.NonNegativeInteger or ValueRule.EpochCount;

    private ContinuousRange? BindTune(TuneSyntax tune, ParameterInfo parameter, string subject, NumberSyntax? defaultValue)
    {
        var log = false;
        var integerFlag = false;
        var flagsValid = true;
        foreach (var flag in tune.Flags)
        {
            if (flag.IsMissing) continue;
            if (flag.Text == "log" || flag.Text == "int")
            {
                ref var seen = ref (flag.Text == "log" ? ref log : ref integerFlag);
                if (seen)
                {
                    _context.Report(DiagnosticCatalog.DuplicateArgument, flag.Span, flag.Text, "tune(...)");
                    flagsValid = false;
                }
                seen = true;
                continue;
            }
            var guess = Suggestions.Best(flag.Text, Vocabulary.TuneFlags, _context.Budget);
            _context.Report(DiagnosticCatalog.UnknownName, flag.Span, "tune option", Lexer.Abbreviate(flag.Text),
                guess is null ? "; tune takes 'log' and 'int'" : Suggestions.Suffix(flag.Text, guess));
            flagsValid = false;
        }

        double low = tune.Low.Value, high = tune.High.Value;
        if (double.IsNaN(low) || double.IsNaN(high)) return null;
        var integer = parameter.Integer || integerFlag;
        var rangeOf = "the search range of " + subject;
        var valid = CheckBound(low, tune.Low, parameter, integer, subject, "the lower bound of " + rangeOf, "the lower bound")
                    & CheckBound(high, tune.High, parameter, integer, subject, "the upper bound of " + rangeOf, "the upper bound");
        if (valid && low >= high)
        {
            _context.Report(DiagnosticCatalog.EmptySearchRange, _context.Text.GetSpanBetween(tune.Low.NumberSpan.Start, tune.High.NumberSpan.End), subject, tune.Low.Text, tune.High.Text);
            valid = false;
        }
        if (valid && log && low <= 0)
        {
            _context.Report(DiagnosticCatalog.LogRangeNotPositive, tune.Low.NumberSpan, subject, tune.Low.Text);
            valid = false;
        }
        if (valid && defaultValue is not null && !double.IsNaN(defaultValue.Value))
        {
            var v = defaultValue.Value;
            if (v < low || v > high)
            {
                _context.Report(DiagnosticCatalog.DefaultOutsideRange, defaultValue.NumberSpan, defaultValue.Text, subject, $"outside its search range [{tune.Low.Text}, {tune.High.Text}]");
                valid = false;
            }
            else if (integer && !RuleIsInteger(parameter.Rule) && !IsInteger(v))
            {
                _context.Report(DiagnosticCatalog.IntegerRangeFractional, defaultValue.NumberSpan, BindingContext.Sentence(subject), "the default", defaultValue.Text);
                valid = false;
            }
        }
        return valid && flagsValid ? new ContinuousRange(low, high, log, integer) : null;
    }

    private bool CheckBound(double bound, NumberSyntax syntax, ParameterInfo parameter, bool integer, string subject, string boundSubject, string boundName)
    {
        if (integer && !IsInteger(bound))
        {
            _context.Report(DiagnosticCatalog.IntegerRangeFractional, syntax.NumberSpan, BindingContext.Sentence(subject), boundName, syntax.Text);
            return false;
        }
        return Check(bound, parameter.Rule, boundSubject, syntax.NumberSpan, syntax.Text);
    }

    private ChoiceRange? BindChoice(ChoiceSyntax choice, ParameterInfo parameter, string subject, NumberSyntax? defaultValue)
    {
        var values = new List<double>();
        var seen = new HashSet<double>();
        var valid = true;
        foreach (var item in choice.Values)
        {
            if (double.IsNaN(item.Value)) return null;
            if (parameter.Integer && !IsInteger(item.Value))
            {
                _context.Report(DiagnosticCatalog.IntegerRangeFractional, item.NumberSpan, BindingContext.Sentence(subject), "the choice", item.Text);
                valid = false;
            }
            else if (!Check(item.Value, parameter.Rule, "a choice of " + subject, item.NumberSpan, item.Text))
            {
                valid = false;
            }
            if (!seen.Add(item.Value))
            {
                _context.Report(DiagnosticCatalog.DuplicateChoice, item.NumberSpan, subject, item.Text);
                valid = false;
            }
            values.Add(item.Value);
        }
        if (values.Count == 0) return null;
        if (valid && defaultValue is not null && !double.IsNaN(defaultValue.Value) && !seen.Contains(defaultValue.Value))
        {
            var listed = string.Join(", ", choice.Values.Take(8).Select(v => v.Text)) + (choice.Values.Count > 8 ? ", …" : string.Empty);
            _context.Report(DiagnosticCatalog.DefaultOutsideRange, defaultValue.NumberSpan, defaultValue.Text, subject, $"not among its choices ({listed})");
            valid = false;
        }
        return valid ? new ChoiceRange(values.ToEquatableArray()) : null;
    }

    /// <summary>Checks a range whose default is missing (already reported), so its own mistakes still show.</summary>
    private void BindRangeOnly(SearchRangeSyntax range, ParameterInfo parameter, string subject)
    {
        if (!parameter.IsTunable) return;
        if (range is TuneSyntax tune) BindTune(tune, parameter, subject, null);
        else BindChoice((ChoiceSyntax)range, parameter, subject, null);
    }
}
