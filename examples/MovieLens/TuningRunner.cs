using System.Diagnostics;
using System.Text.Json;
using DestinyDsl.Runtime.Evaluation;
using DestinyDsl.Runtime.Training;
using DestinyDsl.Runtime.Tuning.Models;
using DestinyDsl.Runtime.Tuning.Studies;
using Spectre.Console;

namespace Samples.MovieLens;

/// <summary>
/// <c>--tune N</c>: tunes MovieLens.dnet's ranges on the training split (the tuner carves its own validation split
/// from it and never sees the held-out items), then compares the tuned model with the defaults — trained the same way,
/// on the same rows — and popularity on the held-out items. Writes the study's journal, plots and a summary.
/// </summary>
internal static class TuningRunner
{
    private const int K = 10;
    private const int Seed = 1;

    public static int Run(ExampleSettings settings)
    {
        var trials = settings.Tune!.Value;
        if (trials < 1) throw new ArgumentException($"--tune needs at least 1 trial, not {trials}.");
        if (settings.TrialsAtOnce < 1) throw new ArgumentException($"--trials-at-once must be at least 1, not {settings.TrialsAtOnce}.");
        if (settings.Epochs is not null) throw new ArgumentException("--epochs does not apply with --tune: the epochs are one of the tuned settings (train.epochs in MovieLens.dnet).");
        var probe = DeviceChoice.Parse(settings.Devices);
        if (probe.UsesMpi) throw new ArgumentException("--tune runs its trials in one process; --devices mpi is not supported with it.");

        // Piped output (a log, a test) gets wide tables rather than Spectre's 80 columns.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 140);
        var data = ExampleData.Load(settings);
        var directory = Path.Combine(settings.Output.FullName, "tuning");
        Directory.CreateDirectory(directory);
        var journal = Path.Combine(directory, "study.jsonl");
        AnsiConsole.MarkupLine($"[bold]DestinyDsl MovieLens example, tuning[/] — {Markup.Escape(data.Source)}");
        AnsiConsole.MarkupLine($"{data.Train.Rows} users, {data.Train.Columns} items; the tuner gets the {data.Train.NonZeroCount} training interactions only ({data.HeldOut.NonZeroCount} held out for the comparison below); {trials} trials, {settings.TrialsAtOnce} at a time on {Markup.Escape(probe.Description)}");
        if (File.Exists(journal)) AnsiConsole.MarkupLine($"resuming the study in {Markup.Escape(journal)} (delete it to start afresh)");

        var view = new TuningView(MovieLensAutoencoder.SearchSpace, K, interactive: !Console.IsOutputRedirected);
        var tuning = new ModelTuningSettings
        {
            Trials = trials,
            Concurrency = settings.TrialsAtOnce,
            K = K,
            Optimizer = new() { Seed = Seed },
            JournalPath = journal,
            TrialDevices = _ => DeviceChoice.Parse(settings.Devices),
            RetrainDevices = DeviceChoice.Parse(settings.Devices),
            Observer = view,
            Log = message => AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(message)}[/]"),
        };
        var clock = Stopwatch.StartNew();
        using var result = view.Run(() => MovieLensAutoencoder.TuneAsync(data.Train, tuning).GetAwaiter().GetResult());
        var tuningTime = clock.Elapsed;

        // The defaults trained exactly as the tuned setting was retrained: all training rows, the file's epochs.
        using var defaults = new MovieLensAutoencoder(data.Train.Columns, devices: DeviceChoice.Parse(settings.Devices));
        defaults.Train(data.Train);
        var defaultsScores = defaults.Evaluate(data.Train, data.HeldOut, K);
        var tunedScores = result.Model.Evaluate(data.Train, data.HeldOut, K);
        var baseline = new PopularityBaseline(data.Train);
        var popularity = RankingMetrics.Compute(Enumerable.Range(0, data.Train.Rows).Select(row => baseline.Recommend(row, data.Train, K)).ToList(), data.HeldOut, K);

        TuningReports.PrintTrials(result);
        TuningReports.PrintComparison(popularity, defaultsScores, tunedScores, result.DefaultsScore, result.BestScore, K);
        var pruned = result.Study.Trials.Count(t => t.State == TrialState.Pruned);
        AnsiConsole.MarkupLine($"best setting: {Markup.Escape(result.BestParameters.ToString())}{(result.DefaultsWereBest ? " (the defaults: no trial validated better)" : "")}");
        AnsiConsole.MarkupLine($"study: {result.Study.Trials.Count} trials (trial 0: the defaults; {pruned} pruned) in {result.StudyDuration.TotalSeconds:F0} s; retraining {result.Retraining.Elapsed.TotalSeconds:F0} s; --tune took {clock.Elapsed.TotalSeconds:F0} s in all");

        var plots = StudyPlots.Write(result.Study, MovieLensAutoencoder.SearchSpace, directory);
        var summary = Path.Combine(directory, "summary.json");
        File.WriteAllText(summary, JsonSerializer.Serialize(new TuningSummary(
            result.Study.Trials.Count, pruned, result.StudyDuration.TotalSeconds, tuningTime.TotalSeconds,
            data.Train.NonZeroCount, data.HeldOut.NonZeroCount, TunerInteractions(result.Split),
            result.BestParameters.ToDictionary(p => p.Key, p => p.Value), result.DefaultsWereBest,
            new Scores(null, popularity.PrecisionAtK, popularity.RecallAtK, popularity.NdcgAtK),
            new Scores(result.DefaultsScore, defaultsScores.PrecisionAtK, defaultsScores.RecallAtK, defaultsScores.NdcgAtK),
            new Scores(result.BestScore, tunedScores.PrecisionAtK, tunedScores.RecallAtK, tunedScores.NdcgAtK)), SummaryJson.Options));
        AnsiConsole.MarkupLine($"journal: [link]{Markup.Escape(journal)}[/]; plots: {plots.Count} SVG files in [link]{Markup.Escape(directory)}[/]; summary: [link]{Markup.Escape(summary)}[/]");
        return tunedScores.PrecisionAtK > popularity.PrecisionAtK ? 0 : 2;
    }

    private static long TunerInteractions(TuningSplit split) => split.Fit.Sparse("items")!.NonZeroCount + split.ValidationHeldOut!.NonZeroCount;

    /// <summary>Held-out scores (and the validation score the tuner saw) of one recommender.</summary>
    private sealed record Scores(double? ValidationPrecisionAt10, double PrecisionAt10, double RecallAt10, double NdcgAt10);

    /// <summary>summary.json: what a script (or the end-to-end test) reads back.</summary>
    /// <param name="TunerInteractions">What the tuner trained and validated on (its fit input and validation items): the training interactions, if the held-out ones never reached it.</param>
    private sealed record TuningSummary(int Trials, int Pruned, double StudySeconds, double TuningSeconds, long TrainingInteractions, long HeldOutInteractions, long TunerInteractions, Dictionary<string, double> Best, bool DefaultsWereBest, Scores Popularity, Scores Defaults, Scores Tuned);

    private static class SummaryJson
    {
        public static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    }
}
