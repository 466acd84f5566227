using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Model;
using DestinyDsl.Language.Syntax;

namespace DestinyDsl.Language.Binding;

/// <summary>Whole-network checks that need every layer bound: inputs and outputs, targets, loss/activation pairs, lints.</summary>
internal sealed class NetworkChecks
{
    private readonly BindingContext _context;
    private readonly IReadOnlyList<BoundLayer> _layers;
    private readonly NetworkDeclarationSyntax _network;

    public NetworkChecks(BindingContext context, IReadOnlyList<BoundLayer> layers, NetworkDeclarationSyntax network)
    {
        _context = context;
        _layers = layers;
        _network = network;
    }

    private string NetworkName => _network.Name.Text;

    private Text.SourceSpan NetworkSpan => _network.Name.IsMissing ? _network.Keyword.Span : _network.Name.Span;

    public void CheckInputsAndOutputs()
    {
        if (_network.Name.IsMissing) return; // a network without a name is already an error; say nothing more about it
        if (!_layers.Any(l => l.Kind == LayerKind.Input)) _context.Report(DiagnosticCatalog.MissingInput, NetworkSpan, NetworkName);
        if (!_layers.Any(l => l.Kind == LayerKind.Output)) _context.Report(DiagnosticCatalog.MissingOutput, NetworkSpan, NetworkName);
    }

    /// <summary>Checks each output against its target and binds <c>auto</c> outputs to a fixed target width.</summary>
    public void CheckTargets()
    {
        foreach (var output in _layers.Where(l => l.Kind == LayerKind.Output && l.HasName))
        {
            if (output.TargetClause is null)
            {
                var candidate = _layers.FirstOrDefault(l => l.Kind == LayerKind.Input && l.HasName && l.Sparse == output.Sparse)
                                ?? _layers.FirstOrDefault(l => l.Kind == LayerKind.Input && l.HasName);
                _context.Report(DiagnosticCatalog.MissingTarget, output.NameSpan, output.Name, candidate?.Name ?? "<input layer>");
                continue;
            }
            if (output.Target is not { } targetIndex) continue;
            var target = _layers[targetIndex];
            var targetName = output.TargetClause.Name;
            if (output.Sparse != target.Sparse)
            {
                _context.Report(DiagnosticCatalog.SparseTargetMismatch, targetName.Span, output.Name,
                    output.Sparse ? "sparse" : "dense", target.Name, target.Sparse ? "sparse" : "dense");
            }
            if (output.Width is not { } width || target.Width is not { } targetWidth) continue;
            if (width.IsAuto)
            {
                // An auto output takes its target's width; when that is a number, the model carries the number.
                if (!targetWidth.IsAuto) output.Width = targetWidth;
            }
            else if (!targetWidth.IsAuto && !width.Units.IsTuned && width.Units.Value != targetWidth.Units.Value)
            {
                _context.Report(DiagnosticCatalog.TargetWidthMismatch, output.Syntax.Width.Span, output.Name,
                    BindingContext.Format(width.Units.Value), target.Name, BindingContext.Format(targetWidth.Units.Value));
            }
        }
    }

    public void CheckLossPairs(BoundLoss loss)
    {
        var name = loss.Syntax?.Name.Text ?? "cross_entropy";
        var defaulted = loss.IsExplicit ? string.Empty : " (the default loss: the network has no loss statement)";
        foreach (var output in _layers.Where(l => l.Kind == LayerKind.Output && l.HasName))
        {
            var activation = output.Activation.Kind;
            var inUnitInterval = activation is ActivationKind.Sigmoid or ActivationKind.Softmax;
            switch (loss.Model.Kind)
            {
                case LossKind.CrossEntropy or LossKind.ScaledMarginalCrossEntropy or LossKind.DataScaledMarginalCrossEntropy when !inUnitInterval:
                    _context.Report(DiagnosticCatalog.LossNeedsProbabilities, output.ActivationSpan, name, defaulted, output.Name, output.ActivationName);
                    break;
                case LossKind.DataScaledMarginalCrossEntropy when activation == ActivationKind.Softmax:
                    _context.Report(DiagnosticCatalog.DataScaledWithSoftmax, output.ActivationSpan, output.Name);
                    break;
                case LossKind.ScaledMarginalCrossEntropy when activation == ActivationKind.Softmax:
                    _context.Report(DiagnosticCatalog.UnusualLossActivation, output.ActivationSpan, name, "the softmax", output.Name,
                        "softmax outputs share one unit of probability, while the marginal loss pushes every positive unit towards one_target on its own");
                    break;
                case LossKind.Hinge or LossKind.L2Hinge when inUnitInterval:
                    _context.Report(DiagnosticCatalog.UnusualLossActivation, output.ActivationSpan, name, $"the {output.ActivationName}", output.Name,
                        "a hinge loss wants scores on both sides of 0 (targets are ±1), and outputs in (0, 1) can never reach −1");
                    break;
            }
        }
        if (loss.Model.Kind is LossKind.ScaledMarginalCrossEntropy or LossKind.DataScaledMarginalCrossEntropy
            && loss.Model.ZeroTarget.Value >= loss.Model.OneTarget.Value && loss.Syntax is not null)
        {
            _context.Report(DiagnosticCatalog.MarginalTargetsInverted, loss.Syntax.Name.Span,
                BindingContext.Format(loss.Model.ZeroTarget.Value), BindingContext.Format(loss.Model.OneTarget.Value));
        }
    }

    public void CheckActivationLints()
    {
        foreach (var layer in _layers.Where(l => l.HasName && l.Activation.Kind == ActivationKind.Softmax))
        {
            if (layer.Width is { IsAuto: false, Units: { IsTuned: false, Value: 1 } })
                _context.Report(DiagnosticCatalog.SoftmaxSingleUnit, layer.ActivationSpan, layer.Name);
        }
    }

    public void CheckTrainingLints(BoundTraining training)
    {
        if (training.SparsenessPenalty is not null)
        {
            foreach (var hidden in _layers.Where(l => l.Kind == LayerKind.Hidden && l.HasName))
            {
                if (hidden.Activation.Kind is not (ActivationKind.Sigmoid or ActivationKind.Softmax))
                    _context.Report(DiagnosticCatalog.SparsenessPenaltyActivation, hidden.ActivationSpan, hidden.Name, hidden.ActivationName);
            }
        }
        if (training.Denoising is { } denoising && (training.Model.Denoising.Value > 0 || training.Model.Denoising.IsTuned)
            && !_layers.Any(l => l.Kind == LayerKind.Input && l.Sparse))
        {
            _context.Report(DiagnosticCatalog.DenoisingWithoutSparseInput, denoising.Name?.Span ?? denoising.Span, NetworkName);
        }
    }

    /// <summary>
    /// Schedules that do nothing with the file's values (DNET0208) and warm-ups that never end (DNET0209). Tuned
    /// values are not judged: the search may move them.
    /// </summary>
    public void CheckScheduleLints(ScheduleModel schedule, ValueSyntax syntax, TrainingModel training)
    {
        if (training.Epochs.IsTuned || schedule.Warmup.IsTuned) return;
        var epochs = training.Epochs.Value;
        var warmup = schedule.Warmup.Value;
        var span = syntax is CallSyntax call ? call.Name.Span : syntax.Span;
        var name = syntax is CallSyntax c ? c.Name.Text : "…";
        if (warmup >= epochs && warmup > 0)
        {
            _context.Report(DiagnosticCatalog.WarmupCoversTraining, span, BindingContext.Format(warmup), BindingContext.Format(epochs));
            return;
        }
        string? why = schedule.Kind switch
        {
            ScheduleKind.Constant when warmup == 0 => "constant without warmup is the plain learning rate",
            ScheduleKind.Step when !schedule.Factor.IsTuned && schedule.Factor.Value == 1 => "its factor is 1",
            ScheduleKind.Step when !schedule.Every.IsTuned && warmup + schedule.Every.Value >= epochs =>
                $"the first decay comes after {BindingContext.Format(warmup + schedule.Every.Value)} epochs",
            ScheduleKind.Exponential when !schedule.Factor.IsTuned && schedule.Factor.Value == 1 => "its factor is 1",
            _ => null,
        };
        if (why is not null) _context.Report(DiagnosticCatalog.ScheduleHasNoEffect, span, name, BindingContext.Format(epochs), why);
    }
}
