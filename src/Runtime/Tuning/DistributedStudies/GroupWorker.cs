using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Distributed.Mpi;
using DestinyDsl.Runtime.Tuning.Optimization;
using DestinyDsl.Runtime.Tuning.Studies;

namespace DestinyDsl.Runtime.Tuning.DistributedStudies;

/// <summary>
/// A worker rank's loop: take the group's next instruction (the leader from the coordinator, the others from the
/// leader), run the assigned trial on the group's devices, agree with the rest of the group on how it ended, and — the
/// leader — report that to the coordinator; until told to stop.
/// </summary>
/// <remarks>
/// Inside a group the leader passes instructions and pruning decisions to the other ranks point to point, and they
/// poll for them (<see cref="PollingWait"/>): a rank waiting in <c>MPI_Bcast</c> busy-polls a core for as long as its
/// leader waits for the coordinator, which on a machine with as many ranks as cores slows the groups that train.
/// </remarks>
internal sealed class GroupWorker(
    IReadOnlyList<RegionStudy> regions,
    RegionObjective objective,
    DeviceGroup group,
    int groupIndex,
    MpiCommunicator fromCoordinator,
    MpiCommunicator toCoordinator,
    MpiCommunicator groupControl,
    TimeSpan peerFailureTimeout)
{
    private const int Leader = 0; // rank in the group

    private bool IsLeader => groupControl.Rank == Leader;

    private int JobRank => toCoordinator.Rank;

    public List<GroupTrialRun> Run()
    {
        var runs = new List<GroupTrialRun>();
        while (true)
        {
            var (tag, payload) = NextInstruction();
            if (tag == StudyTag.Stop)
                return runs;
            if (tag != StudyTag.Assign)
                throw new InvalidOperationException($"Rank {JobRank} of a distributed study expected a trial or stop, got {tag}.");
            var assignment = StudyMessages.ReadAssign(payload);
            if ((uint)assignment.Region >= (uint)regions.Count)
                throw new InvalidOperationException($"The coordinator assigned region {assignment.Region} but this rank knows {regions.Count} regions: every rank must pass the same regions.");
            var region = regions[assignment.Region];
            var parameters = StudyMessages.Parameters(region.Space, assignment.Values, region.Name);
            runs.Add(new GroupTrialRun(region.Name, assignment.Trial));
            var outcome = RunTrial(region, assignment.Trial, parameters);
            var agreed = AgreeOnOutcome(region, outcome);
            if (IsLeader)
                toCoordinator.Send(StudyMessages.Outcome(agreed), StudyLayout.CoordinatorRank, (int)StudyTag.Outcome);
        }
    }

    private (StudyTag Tag, byte[] Payload) NextInstruction()
    {
        if (!IsLeader)
            return Receive(groupControl, Leader, tag: null, deadline: null, "the next instruction from the group leader");
        var instruction = Receive(fromCoordinator, StudyLayout.CoordinatorRank, tag: null, deadline: null, "the next instruction from the coordinator");
        ToMembers(instruction.Tag, instruction.Payload);
        return instruction;
    }

    private OutcomeMessage RunTrial(RegionStudy region, int trialId, TrialParameters parameters)
    {
        using var cancellation = new CancellationTokenSource();
        var context = new TrialContext(trialId, parameters, (_, metric) => ReportEpoch(trialId, metric, cancellation), group);
        try
        {
            var value = objective(context, region.Name, cancellation.Token).GetAwaiter().GetResult();
            return context.ShouldStop
                ? new OutcomeMessage(trialId, OutcomeKind.Pruned, context.LastValue, null)
                : new OutcomeMessage(trialId, OutcomeKind.Value, value, null);
        }
        catch (TrialPrunedException)
        {
            return new OutcomeMessage(trialId, OutcomeKind.Pruned, context.LastValue, null);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return new OutcomeMessage(trialId, OutcomeKind.Cancelled, double.NaN, null);
        }
        catch (Exception e)
        {
            return new OutcomeMessage(trialId, OutcomeKind.Failed, double.NaN, $"{e.GetType().Name}: {e.Message} (rank {JobRank}, group {groupIndex})");
        }
    }

    /// <summary>Collective over the group: the leader asks the coordinator (which journals the metric and asks the pruner) and passes the answer on.</summary>
    private bool ReportEpoch(int trialId, EpochMetric metric, CancellationTokenSource cancellation)
    {
        EpochDecision decision;
        if (IsLeader)
        {
            toCoordinator.Send(StudyMessages.Epoch(new EpochMessage(trialId, metric.Epoch, metric.Value)), StudyLayout.CoordinatorRank, (int)StudyTag.Epoch);
            var answer = Receive(fromCoordinator, StudyLayout.CoordinatorRank, StudyTag.Decision, deadline: null, "the coordinator's pruning decision");
            ToMembers(StudyTag.Decision, answer.Payload);
            decision = StudyMessages.ReadDecision(answer.Payload);
        }
        else
        {
            decision = StudyMessages.ReadDecision(Receive(groupControl, Leader, StudyTag.Decision, deadline: null, "the pruning decision from the group leader").Payload);
        }
        if (decision == EpochDecision.Cancel)
        {
            cancellation.Cancel();
            cancellation.Token.ThrowIfCancellationRequested();
        }
        return decision == EpochDecision.Prune;
    }

    /// <summary>
    /// Every rank of the group reports its outcome to the leader, which combines them (a failure anywhere fails the
    /// trial) and releases the others. A rank whose trial threw waits at most <see cref="DistributedStudyOptions.PeerFailureTimeout"/>
    /// for the rest: ranks that do not come are stuck in a collective it left, so it ends the job naming itself.
    /// Ranks that succeeded wait without a bound: if a peer failed, the peer's own bound ends the job.
    /// </summary>
    private OutcomeMessage AgreeOnOutcome(RegionStudy region, OutcomeMessage own)
    {
        if (groupControl.Size == 1)
            return own;
        DateTime? deadline = own.Kind == OutcomeKind.Failed ? DateTime.UtcNow + peerFailureTimeout : null;
        try
        {
            if (!IsLeader)
            {
                groupControl.Send(StudyMessages.Outcome(own), Leader, (int)StudyTag.Outcome);
                Receive(groupControl, Leader, StudyTag.OutcomeAgreed, deadline, $"the rest of group {groupIndex} to finish trial {own.Trial}");
                return own;
            }
            var outcomes = new List<OutcomeMessage> { own };
            for (var member = 1; member < groupControl.Size; member++)
                outcomes.Add(StudyMessages.ReadOutcome(Receive(groupControl, member, StudyTag.Outcome, deadline, $"rank {member} of group {groupIndex} to finish trial {own.Trial}").Payload));
            for (var member = 1; member < groupControl.Size; member++)
                groupControl.Send([], member, (int)StudyTag.OutcomeAgreed);
            return Combine(outcomes);
        }
        catch (TimeoutException waiting)
        {
            var reason = new InvalidOperationException(
                $"Trial {own.Trial} of region '{region.Name}' failed on rank {JobRank} ({own.Error}), and {waiting.Message}: they are presumably "
                + "blocked in a collective this rank left, so the job is ended instead of hanging.");
            MpiJob.AbortOnFailure(reason);
            throw reason; // not reached in a job of several ranks
        }
    }

    private static OutcomeMessage Combine(List<OutcomeMessage> outcomes)
    {
        var leader = outcomes[0];
        var failures = outcomes.Where(o => o.Kind == OutcomeKind.Failed).ToArray();
        if (failures.Length > 0)
            return new OutcomeMessage(leader.Trial, OutcomeKind.Failed, double.NaN, string.Join("; ", failures.Select(f => f.Error)));
        if (outcomes.Any(o => o.Kind == OutcomeKind.Cancelled))
            return new OutcomeMessage(leader.Trial, OutcomeKind.Cancelled, double.NaN, null);
        if (outcomes.Any(o => o.Kind == OutcomeKind.Pruned))
            return new OutcomeMessage(leader.Trial, OutcomeKind.Pruned, leader.Value, null);
        return leader;
    }

    private void ToMembers(StudyTag tag, byte[] payload)
    {
        for (var member = 1; member < groupControl.Size; member++)
            groupControl.Send(payload, member, (int)tag);
    }

    /// <summary>Polls <paramref name="comm"/> for a message from <paramref name="source"/>; past <paramref name="deadline"/> a <see cref="TimeoutException"/> saying what did not come.</summary>
    private static (StudyTag Tag, byte[] Payload) Receive(MpiCommunicator comm, int source, StudyTag? tag, DateTime? deadline, string waitingFor)
    {
        var wait = new PollingWait();
        while (true)
        {
            if (comm.TryProbe(source, (int?)tag, out var info))
                return ((StudyTag)info.Tag, comm.Receive(info));
            if (deadline is { } limit && DateTime.UtcNow > limit)
                throw new TimeoutException($"{waitingFor} did not come within the peer-failure timeout");
            wait.Idle();
        }
    }
}
