using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Tuning.Studies;

namespace DestinyDsl.Runtime.Tuning.DistributedStudies;

/// <summary>
/// The coordinator's handle on one worker group (a slot of the regions' shared pool): runs a trial there by sending
/// the assignment to the group's leader, answering its epoch reports with the study's pruning decisions, and turning
/// its outcome into what <see cref="Study"/> expects of an objective (a value, <see cref="TrialPrunedException"/>, or
/// an exception for a failed trial).
/// </summary>
internal sealed class RemoteWorkerGroup(int index, int leader, int ranks, CoordinatorMailbox mailbox)
{
    private Task _current = Task.CompletedTask;

    public int Index { get; } = index;

    /// <summary>The leader's rank in the job's communicator.</summary>
    public int Leader { get; } = leader;

    /// <summary>Completes when the group has no trial running.</summary>
    public Task Idle => _current;

    public override string ToString() => $"group {Index} (ranks {Leader}–{Leader + ranks - 1})";

    public Task<double> RunTrialAsync(int region, string regionName, TrialContext trial, CancellationToken cancellationToken)
    {
        var run = RunGuardedAsync(region, regionName, trial, cancellationToken);
        _current = run;
        return run;
    }

    // The trial's own ends (a value, pruned, cancelled, failed on the group) are results. Anything else — a pruner or
    // the journal throwing, a message out of protocol — leaves the group waiting for an answer that will not come:
    // end the job with the error instead of recording a failed trial over a hung group.
    private async Task<double> RunGuardedAsync(int region, string regionName, TrialContext trial, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(region, regionName, trial, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (TrialPrunedException or OperationCanceledException or TrialFailedOnGroupException))
        {
            MpiJob.AbortOnFailure(new InvalidOperationException($"The study coordinator failed during trial {trial.TrialId} of region '{regionName}' on {this}.", e));
            throw;
        }
    }

    private async Task<double> RunAsync(int region, string regionName, TrialContext trial, CancellationToken cancellationToken)
    {
        var values = trial.Parameters.Values.Select(v => v.Value).ToArray();
        mailbox.Send(Leader, StudyTag.Assign, StudyMessages.Assign(new AssignMessage(region, trial.TrialId, values)));
        var inbox = mailbox.Inbox(Leader);
        // Not cancellable: the group is running the trial and will report its end (a cancelled study tells it to stop
        // at its next epoch report), and the group must be idle before it can take another trial.
        while (true)
        {
            var message = await inbox.ReadAsync(CancellationToken.None).ConfigureAwait(false);
            switch (message.Tag)
            {
                case StudyTag.Epoch:
                {
                    var epoch = StudyMessages.ReadEpoch(message.Payload);
                    Expect(epoch.Trial, trial, regionName);
                    // Journals the metric and asks the pruner, as for a local trial.
                    var prune = trial.Report(epoch.Epoch, epoch.Value);
                    var decision = cancellationToken.IsCancellationRequested ? EpochDecision.Cancel : prune ? EpochDecision.Prune : EpochDecision.Continue;
                    mailbox.Send(Leader, StudyTag.Decision, StudyMessages.Decision(decision));
                    break;
                }
                case StudyTag.Outcome:
                {
                    var outcome = StudyMessages.ReadOutcome(message.Payload);
                    Expect(outcome.Trial, trial, regionName);
                    return outcome.Kind switch
                    {
                        OutcomeKind.Value => outcome.Value,
                        OutcomeKind.Pruned => throw new TrialPrunedException($"Trial {trial.TrialId} was pruned on {this}."),
                        OutcomeKind.Cancelled => throw new OperationCanceledException($"Trial {trial.TrialId} was cancelled on {this}.", cancellationToken),
                        _ => throw new TrialFailedOnGroupException(outcome.Error ?? $"trial {trial.TrialId} failed on {this}"),
                    };
                }
                default:
                    throw new InvalidOperationException($"The study coordinator got an unexpected {message.Tag} message from {this} during trial {trial.TrialId} of region '{regionName}'.");
            }
        }
    }

    private void Expect(int reported, TrialContext trial, string region)
    {
        if (reported != trial.TrialId)
            throw new InvalidOperationException($"{this} reported on trial {reported} while it runs trial {trial.TrialId} of region '{region}'.");
    }
}
