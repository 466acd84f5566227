using DestinyDsl.Runtime.Training;
using Spectre.Console;

namespace Samples.MovieLens;

/// <summary>Runs training under a live Spectre.Console progress bar and keeps the loss curve.</summary>
internal static class TrainingView
{
    public static (TrainingReport Report, List<(double Step, double Loss)> Curve) Run(Func<IProgress<TrainingProgress>, TrainingReport> train, bool interactive)
    {
        var curve = new List<(double Step, double Loss)>();
        if (!interactive)
        {
            return (train(new Recorder(curve, null)), curve);
        }

        TrainingReport? report = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask("training", maxValue: 1);
                report = train(new Recorder(curve, task));
            });
        return (report!, curve);
    }

    /// <summary>Called synchronously by the trainer after every step.</summary>
    private sealed class Recorder(List<(double Step, double Loss)> curve, ProgressTask? task) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress p)
        {
            curve.Add((p.Step, p.Loss));
            if (task is null) return;
            task.MaxValue = (double)p.Epochs * p.BatchesPerEpoch;
            task.Value = ((double)p.Epoch * p.BatchesPerEpoch) + p.BatchInEpoch + 1;
            var validation = p.ValidationLoss is { } v ? $" val {v:F2}" : "";
            var traffic = p.CommunicationBytes > 0 ? $"  {p.CommunicationBytes / 1024.0,6:F0} KiB/step" : "";
            task.Description = $"epoch {p.Epoch + 1}/{p.Epochs}  lr {p.LearningRate:G3}  loss {p.Loss,8:F2}{validation}  {p.SamplesPerSecond,7:F0} samples/s{traffic}";
        }
    }
}
