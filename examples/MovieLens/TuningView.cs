using System.Diagnostics;
using DestinyDsl.Runtime.Tuning;
using DestinyDsl.Runtime.Tuning.Models;
using DestinyDsl.Runtime.Tuning.Optimization;
using DestinyDsl.Runtime.Tuning.Studies;
using Spectre.Console;

namespace Samples.MovieLens;

/// <summary>
/// The live table of a tuning run, one row per trial (trial 0: the defaults), updated from the tuner's events: the
/// setting, the epoch reached and its validation score, then how the trial ended. Without a terminal it prints one line
/// per finished trial instead.
/// </summary>
internal sealed class TuningView(SearchSpace space, int k, bool interactive) : ITuningObserver
{
    private const int StateColumn = 0;
    private readonly Lock _gate = new();
    private readonly Table _table = CreateTable(space, k);
    private readonly Dictionary<int, int> _rows = [];
    private readonly Dictionary<int, Stopwatch> _clocks = [];
    private LiveDisplayContext? _live;

    /// <summary>Runs <paramref name="work"/> under the live table (or plainly without a terminal).</summary>
    public T Run<T>(Func<T> work)
    {
        if (!interactive) return work();
        T result = default!;
        AnsiConsole.Live(_table).AutoClear(false).Start(context =>
        {
            lock (_gate) _live = context;
            result = work();
        });
        return result;
    }

    public void TrialStarted(int trialId, TrialParameters parameters)
    {
        lock (_gate)
        {
            var cells = new List<string> { "running", Name(trialId) };
            cells.AddRange(parameters.Values.Select(p => Format(space, p.Key, p.Value)));
            cells.AddRange(["–", "–", "–"]);
            _table.AddRow(cells.ToArray());
            _rows[trialId] = _table.Rows.Count - 1;
            _clocks[trialId] = Stopwatch.StartNew();
            _live?.Refresh();
        }
    }

    public void EpochReported(int trialId, int epoch, double value)
    {
        lock (_gate)
        {
            if (!_rows.TryGetValue(trialId, out var row)) return;
            var first = 2 + space.Dimensions.Count;
            _table.UpdateCell(row, first, $"{epoch}");
            _table.UpdateCell(row, first + 1, Score(value));
            _table.UpdateCell(row, first + 2, $"{_clocks[trialId].Elapsed.TotalSeconds:F1} s");
            _live?.Refresh();
        }
    }

    public void TrialFinished(TrialRecord record)
    {
        var state = record.State switch
        {
            TrialState.Completed => "[green]done[/]",
            TrialState.Pruned => "[yellow]pruned[/]",
            TrialState.Diverged => "[red]diverged[/]",
            _ => "[red]failed[/]",
        };
        Finish(record.Id, state);
        if (!interactive)
            Console.WriteLine($"trial {Name(record.Id)}: {record.State.ToString().ToLowerInvariant()}, validation precision@{k} {Score(record.Value)} after {record.EpochsRun} epochs, {record.Duration.TotalSeconds:F1} s ({record.Parameters}){(record.Error is { } e ? " — " + e : "")}");
    }

    public void RetrainingStarted(TrialParameters parameters)
    {
        if (!interactive) Console.WriteLine($"retraining the best setting on all the training data ({parameters})");
    }

    private void Finish(int trialId, string state)
    {
        lock (_gate)
        {
            if (!_rows.TryGetValue(trialId, out var row)) return;
            _table.UpdateCell(row, StateColumn, state);
            _live?.Refresh();
        }
    }

    private static Table CreateTable(SearchSpace space, int k)
    {
        var table = new Table().Title("tuning: validation split of the training data").AddColumns("", "trial");
        foreach (var d in space.Dimensions) table.AddColumn(Header(d.Path));
        return table.AddColumns("epoch", $"validation P@{k}", "time");
    }

    public static string Name(int trialId) => trialId == ModelTuner.DefaultsTrialId ? "0 (defaults)" : $"{trialId}";

    public static string Score(double value) => double.IsFinite(value) ? $"{value:P2}" : "–";

    /// <summary>A short column header: the setting's own name (<c>learning_rate</c>), with its layer for a layer's setting (<c>h1.width</c>).</summary>
    public static string Header(string path) => path.StartsWith("optimizer.", StringComparison.Ordinal) || path.StartsWith("train.", StringComparison.Ordinal) || path.StartsWith("loss.", StringComparison.Ordinal)
        ? path[(path.IndexOf('.') + 1)..]
        : path;

    /// <summary>A setting as a person reads it: integers whole, the rest to three significant digits.</summary>
    public static string Format(SearchSpace space, string path, double value)
    {
        var integer = space.Dimensions.FirstOrDefault(d => d.Path == path)?.Integer ?? false;
        return integer ? $"{value:F0}" : $"{value:G3}";
    }
}
