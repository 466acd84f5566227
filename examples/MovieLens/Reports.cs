using DestinyDsl.Runtime.Evaluation;
using DestinyDsl.Runtime.Training;
using Spectre.Console;

namespace Samples.MovieLens;

/// <summary>What the example prints after training.</summary>
internal static class Reports
{
    public static void PrintTraining(TrainingReport report)
    {
        var table = new Table().Title("training").AddColumns("epoch", "learning rate", "training loss", "validation loss", "validation precision@10", "time");
        foreach (var e in report.Epochs)
        {
            table.AddRow($"{e.Epoch + 1}", $"{e.LearningRate:G4}", $"{e.TrainingLoss:F3}", e.ValidationLoss is { } v ? $"{v:F3}" : "–", e.ValidationPrecision is { } p ? $"{p:P2}" : "–", $"{e.Elapsed.TotalSeconds:F1} s");
        }
        AnsiConsole.Write(table);
        var stopped = report.StoppedEarly ? "; stopped early (validation loss stopped improving)" : "";
        var restored = report.RestoredEpoch is { } best ? $"; the model keeps epoch {best + 1}'s weights, its best on validation" : "";
        AnsiConsole.MarkupLine($"{report.Steps} steps in {report.Elapsed.TotalSeconds:F1} s, {report.SamplesPerSecond:F0} samples/s{stopped}{restored}");
    }

    public static void PrintComparison(EvaluationReport model, RankingScores baseline, int k)
    {
        var table = new Table().Title($"held-out items, {model.UsersEvaluated} users").AddColumns("", $"precision@{k}", $"recall@{k}", $"NDCG@{k}");
        table.AddRow("autoencoder", $"{model.PrecisionAtK:P2}", $"{model.RecallAtK:P2}", $"{model.NdcgAtK:P2}");
        table.AddRow("popularity baseline", $"{baseline.PrecisionAtK:P2}", $"{baseline.RecallAtK:P2}", $"{baseline.NdcgAtK:P2}");
        AnsiConsole.Write(table);
        var ratio = baseline.PrecisionAtK > 0 ? model.PrecisionAtK / baseline.PrecisionAtK : double.PositiveInfinity;
        AnsiConsole.MarkupLine(ratio > 1
            ? $"[green]the autoencoder's precision@{k} is {ratio:F2}× the popularity baseline's[/]"
            : $"[red]the autoencoder did not beat the popularity baseline (×{ratio:F2})[/]");
    }

    public static void PrintRecommendations(Recommendation[][] recommendations, ExampleData data, int k)
    {
        var table = new Table().Title($"top-{k} recommendations (seen items excluded)").AddColumns("user", "history", "recommended (✓ = held out, i.e. a real later pick)");
        for (var row = 0; row < recommendations.Length; row++)
        {
            var held = data.HeldOut.RowIndices(row).ToArray();
            var items = string.Join(", ", recommendations[row].Select(r => $"{data.All.Items.ExternalId(r.Column)}{(Array.BinarySearch(held, r.Column) >= 0 ? "✓" : "")}"));
            table.AddRow(data.All.Users.ExternalId(row), $"{data.Train.RowIndices(row).Length} items", Markup.Escape(items));
        }
        AnsiConsole.Write(table);
    }
}
