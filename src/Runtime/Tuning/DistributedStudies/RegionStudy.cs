using DestinyDsl.Runtime.Tuning.Optimization;
using DestinyDsl.Runtime.Tuning.Studies;

namespace DestinyDsl.Runtime.Tuning.DistributedStudies;

/// <summary>
/// One region's study inside a distributed study (Netflix's level 1: one model, and one study, per region). Every rank
/// of the job passes the same regions in the same order.
/// </summary>
/// <param name="Name">The region's name, given to the objective (e.g. to load that region's data).</param>
/// <param name="Space">What is tuned (a generated model's <c>SearchSpace</c>).</param>
/// <param name="Settings">The region's optimiser settings (seed, direction, …); null for the defaults.</param>
/// <param name="Options">
/// The region's study options: <see cref="StudyOptions.TrialBudget"/>, <see cref="StudyOptions.JournalPath"/> (each
/// region needs its own journal; it is written by the coordinator rank only), <see cref="StudyOptions.Pruner"/>,
/// <see cref="StudyOptions.Log"/>, <see cref="StudyOptions.TrialFinished"/> (called on the coordinator).
/// <see cref="StudyOptions.Concurrency"/> and <see cref="StudyOptions.DeviceGroups"/> must be left unset: the job's
/// worker groups are the devices.
/// </param>
public sealed record RegionStudy(string Name, SearchSpace Space, OptimizerSettings? Settings, StudyOptions Options);

/// <summary>
/// Evaluates one trial of a distributed study. It runs on every rank of the trial's group at once: train the model on
/// <see cref="TrialContext.Devices"/> (the group, model-parallel) and call <see cref="TrialContext.Report"/> on every
/// rank with the same epochs (it is collective over the group: every rank gets the coordinator's pruning decision).
/// The group leader's return value is the trial's value.
/// </summary>
/// <param name="trial">The trial: id, parameters, the group's devices, per-epoch reports.</param>
/// <param name="region">The name of the region whose study the trial belongs to.</param>
/// <param name="cancellationToken">Cancelled when the coordinator's study is cancelled (seen at the next report).</param>
public delegate Task<double> RegionObjective(TrialContext trial, string region, CancellationToken cancellationToken);
