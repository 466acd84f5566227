using DestinyDsl.Runtime.Evaluation;
using DestinyDsl.Runtime.Plotting;
using DestinyDsl.Runtime.Training;
using Spectre.Console;

namespace Samples.MovieLens;

/// <summary>The example end to end: data, model, training, evaluation against popularity, recommendations, files.</summary>
internal static class Runner
{
    private const int K = 10;
    private const int ShownUsers = 3;
    private const int Patience = 3;

    public static int Run(ExampleSettings settings)
    {
        var devices = DeviceChoice.Parse(settings.Devices);
        var primary = devices.IsPrimary;                       // under MPI only rank 0 talks and writes
        var data = ExampleData.Load(settings);
        if (primary)
        {
            AnsiConsole.MarkupLine($"[bold]DestinyDsl MovieLens example[/] — {Markup.Escape(data.Source)}");
            AnsiConsole.MarkupLine($"{data.All.Matrix.Rows} users, {data.All.Matrix.Columns} items, {data.Train.NonZeroCount} training and {data.HeldOut.NonZeroCount} held-out interactions ({data.Validation.Rows} users validate); devices: {devices.Description}");
        }

        using var model = new MovieLensAutoencoder(itemsWidth: data.All.Matrix.Columns, devices: devices);
        // Validation users (never trained on) are evaluated after every epoch: their loss (training stops when it has not
        // improved for a few epochs, and the model keeps the best epoch's weights) and their precision@10 (reported).
        var options = new TrainingOptions
        {
            Epochs = settings.Epochs,
            Validation = MovieLensAutoencoder.Bind(data.Validation),
            EarlyStoppingPatience = Patience,
            Ranking = new RankingValidation(MovieLensAutoencoder.Bind(data.ValidationInput), data.ValidationHeldOut, K),
        };
        var (report, curve) = TrainingView.Run(progress => model.Train(MovieLensAutoencoder.Bind(data.Fit), options, progress), interactive: primary && !Console.IsOutputRedirected);

        // Collective calls (every rank makes them under MPI): evaluation, a few users' recommendations, the checkpoint.
        var evaluation = model.Evaluate(data.Train, data.HeldOut, K);
        var shown = Enumerable.Range(0, Math.Min(ShownUsers, data.Train.Rows)).Select(row => model.Recommend(data.Train, row, K, excludeSeen: true)).ToArray();
        var checkpoint = Path.Combine(settings.Output.FullName, "movielens.safetensors");
        if (primary) settings.Output.Create();
        model.Save(checkpoint);
        if (!primary) return 0;

        var baseline = new PopularityBaseline(data.Train);
        var baselineScores = RankingMetrics.Compute(
            Enumerable.Range(0, data.Train.Rows).Select(row => baseline.Recommend(row, data.Train, K)).ToList(), data.HeldOut, K);
        Reports.PrintTraining(report);
        Reports.PrintComparison(evaluation, baselineScores, K);
        Reports.PrintRecommendations(shown, data, K);

        var lossCurve = Path.Combine(settings.Output.FullName, "loss.svg");
        SvgLineChart.Write(lossCurve, "MovieLensAutoencoder training loss", "step", "loss per example",
            new[] { new ChartSeries("training loss", curve.Select(p => (p.Step, p.Loss)).ToArray()) });
        AnsiConsole.MarkupLine($"checkpoint: [link]{Markup.Escape(checkpoint)}[/]");
        AnsiConsole.MarkupLine($"loss curve: [link]{Markup.Escape(lossCurve)}[/]");
        return evaluation.PrecisionAtK > baselineScores.PrecisionAtK ? 0 : 2;
    }
}
