using DestinyDsl.Runtime.Evaluation;
using DestinyDsl.Runtime.Training;
using DestinyDsl.Runtime.Tuning.Models;
using DestinyDsl.Runtime.Tuning.Studies;
using Spectre.Console;

namespace Samples.MovieLens;

/// <summary>What <c>--tune</c> prints after the study: the trials ranked, and the held-out comparison.</summary>
internal static class TuningReports
{
    public static void PrintTrials(ModelTuningResult<MovieLensAutoencoder, MovieLensAutoencoderOptions> result)
    {
        var space = MovieLensAutoencoder.SearchSpace;
        var table = new Table().Title($"trials, best validation precision@{result.K} first (★ = retrained)").AddColumns("trial");
        foreach (var d in space.Dimensions) table.AddColumn(TuningView.Header(d.Path));
        table.AddColumns("state", "epochs run", $"validation P@{result.K}", "time");

        var ranked = result.Study.Trials.OrderByDescending(t => t.State == TrialState.Completed ? t.Value : double.NegativeInfinity).ThenBy(t => t.Id);
        foreach (var t in ranked)
        {
            var cells = new List<string> { TuningView.Name(t.Id) + (t.Id == result.BestTrial.Id ? " ★" : "") };
            cells.AddRange(t.Parameters.Values.Select(p => TuningView.Format(space, p.Key, p.Value)));
            cells.AddRange([t.State.ToString().ToLowerInvariant() + (t.Replayed ? " (journal)" : ""), $"{t.EpochsRun}", TuningView.Score(t.Value), $"{t.Duration.TotalSeconds:F1} s"]);
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }
        AnsiConsole.Write(table);
    }

    public static void PrintComparison(RankingScores popularity, EvaluationReport defaults, EvaluationReport tuned, double defaultsValidation, double tunedValidation, int k)
    {
        var table = new Table().Title($"held-out items (never seen by the tuner), {tuned.UsersEvaluated} users")
            .AddColumns("", $"validation P@{k}", $"precision@{k}", $"recall@{k}", $"NDCG@{k}");
        table.AddRow("popularity baseline", "–", $"{popularity.PrecisionAtK:P2}", $"{popularity.RecallAtK:P2}", $"{popularity.NdcgAtK:P2}");
        table.AddRow("autoencoder, defaults", TuningView.Score(defaultsValidation), $"{defaults.PrecisionAtK:P2}", $"{defaults.RecallAtK:P2}", $"{defaults.NdcgAtK:P2}");
        table.AddRow("autoencoder, tuned", TuningView.Score(tunedValidation), $"{tuned.PrecisionAtK:P2}", $"{tuned.RecallAtK:P2}", $"{tuned.NdcgAtK:P2}");
        AnsiConsole.Write(table);
        var gain = tuned.PrecisionAtK - defaults.PrecisionAtK;
        AnsiConsole.MarkupLine(gain > 0
            ? $"[green]tuning raised held-out precision@{k} by {gain * 100:F2} points over the defaults[/]"
            : $"[red]tuning did not beat the defaults on the held-out items ({gain * 100:+0.00;-0.00} points)[/]");
    }
}
