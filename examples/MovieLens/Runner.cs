using DestinyDsl.Runtime.Evaluation;
using DestinyDsl.Runtime.Plotting;
using DestinyDsl.Runtime.Training;
using Spectre.Console;

namespace Samples.MovieLens;

/// <summary>The example end to end: data, model, training, evaluation against popularity, recommendations, files.</summary>
internal static class Runner
{
    private const int K = 10;

    public static int Run(ExampleSettings settings)
    {
        var devices = DeviceChoice.Parse(settings.Devices);
        var primary = devices.IsPrimary;                       // under MPI only rank 0 talks and writes
        var data = ExampleData.Load(settings);
        if (primary)
        {
            AnsiConsole.MarkupLine($"[bold]DestinyDsl MovieLens example[/] — {Markup.Escape(data.Source)}");
            AnsiConsole.MarkupLine($"{data.All.Matrix.Rows} users, {data.All.Matrix.Columns} items, {data.Train.NonZeroCount} training and {data.HeldOut.NonZeroCount} held-out interactions; devices: {devices.Description}");
        }

        using var model = new MovieLensAutoencoder(itemsWidth: data.All.Matrix.Columns, devices: devices);
        var options = new TrainingOptions { Epochs = settings.Epochs };
        var (report, curve) = TrainingView.Run(progress => model.Train(data.Train, options, progress), interactive: primary && !Console.IsOutputRedirected);

        var evaluation = model.Evaluate(data.Train, data.HeldOut, K);
        if (!primary) return 0;

        var baseline = new PopularityBaseline(data.Train);
        var baselineScores = RankingMetrics.Compute(
            Enumerable.Range(0, data.Train.Rows).Select(row => baseline.Recommend(row, data.Train, K)).ToList(), data.HeldOut, K);
        Reports.PrintTraining(report);
        Reports.PrintComparison(evaluation, baselineScores, K);
        Reports.PrintRecommendations(model, data, users: 3, K);

        settings.Output.Create();
        var checkpoint = Path.Combine(settings.Output.FullName, "movielens.safetensors");
        var lossCurve = Path.Combine(settings.Output.FullName, "loss.svg");
        model.Save(checkpoint);
        SvgLineChart.Write(lossCurve, "MovieLensAutoencoder training loss", "step", "loss per example",
            new[] { new ChartSeries("training loss", curve.Select(p => (p.Step, p.Loss)).ToArray()) });
        AnsiConsole.MarkupLine($"checkpoint: [link]{Markup.Escape(checkpoint)}[/]");
        AnsiConsole.MarkupLine($"loss curve: [link]{Markup.Escape(lossCurve)}[/]");
        return evaluation.PrecisionAtK > baselineScores.PrecisionAtK ? 0 : 2;
    }
}
