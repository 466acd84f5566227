namespace DestinyDsl.SourceGenerator.Emit;

/// <summary>
/// Writes the model's typed tuning entry point, <c>TuneAsync</c>: one matrix per input layer (the training data) in,
/// the runtime's <c>ModelTuner</c> doing the work. Only for a network that declares something to tune — without a
/// <c>tune(...)</c> or <c>choice(...)</c> there is no method, so a call is a compile error rather than a run-time one.
/// </summary>
internal static class TuningEmitter
{
    public static void Write(CodeWriter w, NetworkEmitContext x)
    {
        if (x.Inputs.Count == 0 || x.Network.SearchSpace.Count == 0) return;
        var inputs = string.Join(", ", x.Inputs.Select(i => $"{i.MatrixType} {i.Parameter}"));
        var bind = "Bind(" + string.Join(", ", x.Inputs.Select(i => i.Parameter)) + ")";
        // The constructor binds each auto input width from the matrix given for that input.
        var widths = x.AutoWidths.Select(a => x.Inputs.First(i => i.Layer.Name == a.Layer.Name).Parameter + ".Columns");
        var arguments = string.Join(", ", widths.Concat(new[] { "options", "devices" }));
        var first = x.Inputs[0].Parameter.TrimStart('@');
        var result = $"{RuntimeTypes.ModelTuningResult}<{x.ClassName}, {x.OptionsClassName}>";

        w.Line("// Tuning: the search space above, on validation data carved from the training data.");
        w.SummaryXml(
            "Tunes <see cref=\"SearchSpace\"/> on training data only: a validation split is carved from " +
            $"<paramref name=\"{first}\"/> (keep the test split out), each trial trains a model with suggested options and reports " +
            "its validation score per epoch (pruning), and the best options are retrained on all the training data. " +
            "Returns the best options, the study history, the defaults' score and the retrained model.");
        w.Line($"public static global::System.Threading.Tasks.Task<{result}> TuneAsync({inputs}, {RuntimeTypes.ModelTuningSettings}? settings = null, global::System.Threading.CancellationToken cancellationToken = default)");
        w.Line($"    => {RuntimeTypes.ModelTuner}.TuneAsync({bind}, SearchSpace, ({x.OptionsClassName} options, {RuntimeTypes.DeviceGroup} devices) => new {x.ClassName}({arguments}), settings, cancellationToken);");
        w.Line();
    }
}
