using DestinyDsl.Language.Constructs;
using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Model;
using DestinyDsl.Language.Syntax;

namespace DestinyDsl.Language.Binding;

/// <summary>Binds the <c>optimizer</c> statement (or applies the default, sgd with learning_rate 0.01 and no momentum).</summary>
internal sealed class OptimizerBinder
{
    private static readonly Tunable Unused = Tunable.Fixed(0);

    private readonly BindingContext _context;
    private readonly ValueBinder _values;
    private readonly ArgumentBinder _arguments;
    private readonly ScheduleBinder _schedules;

    public OptimizerBinder(BindingContext context)
    {
        _context = context;
        _values = new ValueBinder(context);
        _arguments = new ArgumentBinder(context);
        _schedules = new ScheduleBinder(context);
    }

    /// <summary>The <c>schedule = …</c> value of the last bound statement (for the schedule lints), or null.</summary>
    public ValueSyntax? ScheduleSyntax { get; private set; }

    /// <summary>Null when the optimizer name is unknown (reported).</summary>
    public OptimizerModel? Bind(OptimizerStatementSyntax? statement, List<SearchParameter> space)
    {
        if (statement is null) return Defaults(Vocabulary.DefaultOptimizer, hasMomentum: false);
        var call = statement.Call;
        if (call.Name.IsMissing) return null;
        var optimizer = Vocabulary.FindIn(Vocabulary.Optimizers, call.Name.Text);
        if (optimizer is null)
        {
            ReportUnknown(call);
            return null;
        }
        var bound = _arguments.Bind(call, optimizer, Vocabulary.UnsupportedOptimizerArguments, Elsewhere);
        var kind = (OptimizerKind)optimizer.Tag!;
        ScheduleSyntax = bound["schedule"];
        var model = Defaults(optimizer, HasMomentum(kind, bound));
        Tunable Read(string name, Tunable current)
        {
            var parameter = optimizer.Find(name);
            var value = bound[name];
            if (parameter is null || value is null) return current;
            return _values.Tunable(value, parameter, $"the {name} of {optimizer.Name}", $"optimizer.{name}", space) ?? current;
        }
        // Read in the documented order so the search space lists arguments in that order.
        return model with
        {
            LearningRate = Read("learning_rate", model.LearningRate),
            Momentum = Read("momentum", model.Momentum),
            Decay = Read("decay", model.Decay),
            Beta1 = Read("beta1", model.Beta1),
            Beta2 = Read("beta2", model.Beta2),
            Epsilon = Read("epsilon", model.Epsilon),
            WeightDecay = Read("weight_decay", model.WeightDecay),
            L1Decay = Read("l1_decay", model.L1Decay),
            Schedule = bound["schedule"] is { } schedule ? _schedules.Bind(schedule, optimizer.Name, space) : null,
        };
    }

    /// <summary>sgd is stateless unless it is given a momentum argument; momentum and nesterov always keep one.</summary>
    private static bool HasMomentum(OptimizerKind kind, BoundArguments bound) =>
        kind is OptimizerKind.Momentum or OptimizerKind.Nesterov || (kind == OptimizerKind.Sgd && bound.Contains("momentum"));

    /// <summary>The kind's documented defaults; arguments the kind does not read hold 0.</summary>
    private static OptimizerModel Defaults(ConstructInfo optimizer, bool hasMomentum)
    {
        Tunable Get(string name) => optimizer.Find(name) is { } p ? Tunable.Fixed(p.Default) : Unused;
        return new OptimizerModel((OptimizerKind)optimizer.Tag!, Get("learning_rate"), Get("momentum"), Get("decay"), Get("beta1"),
            Get("beta2"), Get("epsilon"), Get("weight_decay"), Get("l1_decay"), hasMomentum);
    }

    private static string? Elsewhere(string name)
    {
        var owners = Vocabulary.Optimizers.Where(o => o.Find(name) is not null).Select(o => o.Name).ToArray();
        if (owners.Length > 0) return $"'{name}' is an argument of {string.Join(", ", owners)}";
        if (Vocabulary.Train.Find(name) is not null) return $"'{name}' is a train setting: write 'train {name} = …'";
        return null;
    }

    private void ReportUnknown(CallSyntax call)
    {
        var name = call.Name.Text;
        var guess = Suggestions.Best(name, Vocabulary.Optimizers.Select(o => o.Name).ToArray(), _context.Budget);
        var detail = guess is not null ? Suggestions.Suffix(name, guess)
            : Vocabulary.FindIn(Vocabulary.Losses, name) is not null ? $"; '{name}' is a loss: write 'loss {name}'"
            : "; expected sgd, momentum, nesterov, adagrad, rmsprop, adadelta or adam";
        _context.Report(DiagnosticCatalog.UnknownName, call.Name.Span, "optimizer", Lexer.Abbreviate(name), detail);
    }
}
