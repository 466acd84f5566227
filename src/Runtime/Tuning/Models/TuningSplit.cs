using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Data.IO;
using DestinyDsl.Runtime.Specs;
using DestinyDsl.Runtime.Training;

namespace DestinyDsl.Runtime.Tuning.Models;

/// <summary>
/// The validation split a model tuner carves from the training data it is given — it is never given anything else,
/// so the caller's test split cannot reach it. Trials train on <see cref="Fit"/> and are scored on the rest.
/// </summary>
/// <param name="Fit">What every trial trains on.</param>
/// <param name="ValidationInputs">The rows a trial is scored on, as inputs.</param>
/// <param name="ValidationHeldOut">Precision@k: the items held out of each row of <see cref="ValidationInputs"/>
/// (never in <see cref="Fit"/>); null for the loss objective.</param>
public sealed record TuningSplit(NetworkData Fit, NetworkData ValidationInputs, SparseMatrix? ValidationHeldOut)
{
    private const ulong RowStream = 0x54554E45524F5753UL; // "TUNEROWS": apart from other streams keyed by the same seed

    /// <summary>
    /// Precision@k: every row's items of the sparse input that the network's single output targets lose
    /// <see cref="ModelTuningSettings.ValidationFraction"/> of them (<see cref="HoldOutSplit"/>, seeded by
    /// <see cref="ModelTuningSettings.ValidationSeed"/>); <see cref="Fit"/> = <see cref="ValidationInputs"/> = what is
    /// left (other inputs unchanged), the removed items are the validation targets. Loss: that share of the rows (a
    /// seeded shuffle) validates, the others fit.
    /// </summary>
    /// <exception cref="ArgumentException">The data cannot be split for the objective (no single output targeting a
    /// bound sparse input for precision@k; fewer than two rows for the loss).</exception>
    public static TuningSplit Carve(NetworkData training, NetworkSpec spec, ModelTuningSettings settings)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(settings);
        if (!(settings.ValidationFraction > 0 && settings.ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(settings), settings.ValidationFraction, "ValidationFraction must be in (0, 1).");
        return settings.Objective == TuningObjective.PrecisionAtK ? HoldOutItems(training, spec, settings) : HoldOutRows(training, settings);
    }

    private static TuningSplit HoldOutItems(NetworkData training, NetworkSpec spec, ModelTuningSettings settings)
    {
        var outputs = spec.Layers.Where(l => l.Kind == LayerKind.Output).ToArray();
        if (outputs.Length != 1 || outputs[0].Target is not { } target)
            throw new ArgumentException($"Precision@k tuning needs a network with one output layer that targets a sparse input; '{spec.Name}' has none. Tune on the loss (ModelTuningSettings.Objective = Loss).");
        var items = training.Sparse(target)
            ?? throw new ArgumentException($"Precision@k tuning holds out items of the sparse input '{target}' (the output's target), but the training data binds no sparse matrix to it.");
        var (kept, heldOut) = HoldOutSplit.Split(items, settings.ValidationFraction, settings.ValidationSeed, settings.MinItemsToSplit);
        if (heldOut.NonZeroCount == 0)
            throw new ArgumentException($"No row of '{target}' has {settings.MinItemsToSplit} or more items, so none can give validation items.");
        var fit = new NetworkData();
        foreach (var layer in training.Layers)
        {
            if (layer == target) fit.Add(layer, kept);
            else if (training.Sparse(layer) is { } sparse) fit.Add(layer, sparse);
            else fit.Add(layer, training.Dense(layer)!);
        }
        return new TuningSplit(fit, fit, heldOut);
    }

    private static TuningSplit HoldOutRows(NetworkData training, ModelTuningSettings settings)
    {
        var rows = training.Rows;
        if (rows < 2) throw new ArgumentException($"Loss tuning holds out rows, but the training data has {Math.Max(rows, 0)}.");
        var count = Math.Clamp((int)Math.Round(rows * settings.ValidationFraction, MidpointRounding.AwayFromZero), 1, rows - 1);
        var order = Enumerable.Range(0, rows).ToArray();
        var random = SplitMix64.Derive(settings.ValidationSeed, RowStream, 0);
        for (var i = 0; i < count; i++)
        {
            var j = i + random.NextInt(rows - i);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var validation = order[..count];
        var fit = order[count..];
        Array.Sort(validation);
        Array.Sort(fit);
        return new TuningSplit(SelectRows(training, fit), SelectRows(training, validation), null);
    }

    private static NetworkData SelectRows(NetworkData data, int[] rows)
    {
        var selected = new NetworkData();
        foreach (var layer in data.Layers)
        {
            if (data.Sparse(layer) is { } sparse)
            {
                selected.Add(layer, sparse.SelectRows(rows));
                continue;
            }
            var dense = data.Dense(layer)!;
            var copy = new DenseMatrix(rows.Length, dense.Columns);
            for (var i = 0; i < rows.Length; i++) dense.Row(rows[i]).CopyTo(copy.Row(i));
            selected.Add(layer, copy);
        }
        return selected;
    }
}
