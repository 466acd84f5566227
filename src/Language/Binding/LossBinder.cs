using DestinyDsl.Language.Constructs;
using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Model;
using DestinyDsl.Language.Syntax;

namespace DestinyDsl.Language.Binding;

/// <summary>The bound loss with what later checks need to place their diagnostics.</summary>
internal sealed record BoundLoss(LossModel Model, CallSyntax? Syntax)
{
    public bool IsExplicit => Syntax is not null;
}

/// <summary>Binds the <c>loss</c> statement (or applies the default, cross_entropy).</summary>
internal sealed class LossBinder
{
    private readonly BindingContext _context;
    private readonly ValueBinder _values;
    private readonly ArgumentBinder _arguments;

    public LossBinder(BindingContext context)
    {
        _context = context;
        _values = new ValueBinder(context);
        _arguments = new ArgumentBinder(context);
    }

    /// <summary>The model of the default loss (no <c>loss</c> statement).</summary>
    public static LossModel Default(LossKind kind = LossKind.CrossEntropy)
    {
        var p = Vocabulary.Losses[3].Parameters;
        return new LossModel(kind, Tunable.Fixed(p[0].Default), Tunable.Fixed(p[1].Default), Tunable.Fixed(p[2].Default), Tunable.Fixed(p[3].Default));
    }

    /// <summary>Null when the loss name is unknown (reported): later checks then skip the loss.</summary>
    public BoundLoss? Bind(LossStatementSyntax? statement, List<SearchParameter> space)
    {
        if (statement is null) return new BoundLoss(Default(), null);
        var call = statement.Call;
        if (call.Name.IsMissing) return null;
        var loss = Vocabulary.FindIn(Vocabulary.Losses, call.Name.Text);
        if (loss is null)
        {
            ReportUnknown(call);
            return null;
        }
        var bound = _arguments.Bind(call, loss);
        var model = Default((LossKind)loss.Tag!);
        Tunable Read(int index, Tunable fallback)
        {
            var parameter = loss.Parameters[index];
            var value = bound[parameter.Name];
            return value is null ? fallback : _values.Tunable(value, parameter, $"the {parameter.Name} of the loss", $"loss.{parameter.Name}", space) ?? fallback;
        }
        if (loss.Parameters.Count == 4)
        {
            model = model with
            {
                OneTarget = Read(0, model.OneTarget),
                ZeroTarget = Read(1, model.ZeroTarget),
                OneScale = Read(2, model.OneScale),
                ZeroScale = Read(3, model.ZeroScale),
            };
        }
        return new BoundLoss(model, call);
    }

    private void ReportUnknown(CallSyntax call)
    {
        var name = call.Name.Text;
        var guess = Suggestions.Best(name, Vocabulary.Losses.Select(l => l.Name).ToArray(), _context.Budget);
        var detail = guess is not null ? Suggestions.Suffix(name, guess)
            : Vocabulary.FindIn(Vocabulary.Optimizers, name) is not null ? $"; '{name}' is an optimizer: write 'optimizer {name}'"
            : "; expected l1, l2, cross_entropy, scaled_marginal_cross_entropy, data_scaled_marginal_cross_entropy, hinge or l2_hinge";
        _context.Report(DiagnosticCatalog.UnknownName, call.Name.Span, "loss", Lexer.Abbreviate(name), detail);
    }
}
