using System.Collections.Concurrent;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Tuning.Optimization;
using DestinyDsl.Runtime.Tuning.Studies;
using static DestinyDsl.Runtime.Tests.Tuning.Studies.StudyFixtures;

namespace DestinyDsl.Runtime.Tests.Tuning.Studies;

/// <summary>Trials on devices of their own: <see cref="StudyOptions.DeviceGroups"/> and the slot pool behind it.</summary>
public class StudyDeviceGroupTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task EachTrialRunsOnAGroupNoOtherRunningTrialHas()
    {
        var groups = DeviceGroup.Cpu(4).Partition(2);
        var inUse = new ConcurrentDictionary<DeviceGroup, int>();
        var clashes = 0;
        var bothRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var used = new ConcurrentBag<DeviceGroup>();
        var result = await new Study(Space, Fast()).RunAsync(async (TrialContext trial, CancellationToken ct) =>
        {
            var devices = trial.Devices ?? throw new InvalidOperationException("no devices");
            used.Add(devices);
            if (!inUse.TryAdd(devices, trial.TrialId))
                Interlocked.Increment(ref clashes);
            if (inUse.Count == 2)
                bothRunning.TrySetResult();
            try
            {
                if (trial.TrialId < 2)
                    await bothRunning.Task.WaitAsync(HangGuard, ct); // the first two run at once, one per group
                else
                    await Task.Yield();
                return Bowl(trial.Parameters);
            }
            finally
            {
                inUse.TryRemove(devices, out _);
            }
        }, new StudyOptions { TrialBudget = 10, DeviceGroups = groups });

        Assert.Equal(0, clashes);
        Assert.Equal(10, result.Trials.Count(t => t.State == TrialState.Completed));
        Assert.Equal(groups.ToHashSet(), used.ToHashSet());
    }

    [Fact]
    public async Task AFreedSlotsNextTrialStartsOnlyAfterTheFinishedTrialWasRecorded()
    {
        // Two studies share two slots, as the regions of a distributed study share its worker groups. Events: "started"
        // from the objective, "finished" from TrialFinished (called once the result is told to the optimiser). A slot
        // handed on before that would let the next suggestion miss the result that slot just produced.
        var pool = new TrialSlotPool(["slot a", "slot b"]);
        var events = new ConcurrentQueue<string>();
        var slotOf = new ConcurrentDictionary<string, object>();
        Func<TrialContext, CancellationToken, Task<double>> Objective(string study) => async (trial, ct) =>
        {
            slotOf[$"{study}{trial.TrialId}"] = trial.Slot!;
            events.Enqueue($"started {study}{trial.TrialId}");
            await Task.Delay(1 + trial.TrialId % 2, ct);
            return Bowl(trial.Parameters);
        };
        StudyOptions Options(string study) => new() { TrialBudget = 8, TrialFinished = record => events.Enqueue($"finished {study}{record.Id}") };
        await Task.WhenAll(
            new Study(Space, Fast(seed: 5)).RunAsync(Objective("east"), Options("east"), pool, CancellationToken.None),
            new Study(Space, Fast(seed: 6)).RunAsync(Objective("west"), Options("west"), pool, CancellationToken.None)).WaitAsync(HangGuard);

        var order = events.ToList();
        Assert.Equal(32, order.Count);
        foreach (var slot in new[] { "slot a", "slot b" })
        {
            var trials = slotOf.Where(p => Equals(p.Value, slot)).Select(p => p.Key).OrderBy(t => order.IndexOf($"started {t}")).ToArray();
            for (var i = 1; i < trials.Length; i++)
                Assert.True(order.IndexOf($"finished {trials[i - 1]}") < order.IndexOf($"started {trials[i]}"),
                    $"{trials[i]} started in {slot} before {trials[i - 1]}, which ran there, was recorded: {string.Join(", ", order)}");
        }
    }

    [Fact]
    public async Task DeviceGroupsAreCheckedAgainstConcurrency()
    {
        var groups = DeviceGroup.Cpu(2).Partition(2);
        var study = new Study(Space, Fast());
        Func<TrialParameters, CancellationToken, Task<double>> objective = (p, _) => Task.FromResult(Bowl(p));
        await Assert.ThrowsAsync<ArgumentException>(() => study.RunAsync(objective, new StudyOptions { DeviceGroups = groups, Concurrency = 3 }));
        await Assert.ThrowsAsync<ArgumentException>(() => study.RunAsync(objective, new StudyOptions { DeviceGroups = [groups[0], groups[0]] }));
        await Assert.ThrowsAsync<ArgumentException>(() => study.RunAsync(objective, new StudyOptions { DeviceGroups = [] }));
        var result = await study.RunAsync(objective, new StudyOptions { DeviceGroups = groups, Concurrency = 2, TrialBudget = 3 });
        Assert.Equal(3, result.Trials.Count);
    }

    [Fact]
    public async Task TwoStudiesSharingAPoolNeverRunMoreTrialsThanSlotsAndBothFinish()
    {
        var pool = new TrialSlotPool(["a", "b"]);
        var running = 0;
        var most = 0;
        var holders = new ConcurrentDictionary<object, int>();
        var clashes = 0;
        Func<TrialContext, CancellationToken, Task<double>> objective = async (trial, ct) =>
        {
            InterlockedMax(ref most, Interlocked.Increment(ref running));
            if (!holders.TryAdd(trial.Slot!, trial.TrialId)) Interlocked.Increment(ref clashes);
            await Task.Delay(1, ct);
            holders.TryRemove(trial.Slot!, out _);
            Interlocked.Decrement(ref running);
            return Bowl(trial.Parameters);
        };
        var east = new Study(Space, Fast(seed: 1)).RunAsync(objective, new StudyOptions { TrialBudget = 6 }, pool, CancellationToken.None);
        var west = new Study(Space, Fast(seed: 2)).RunAsync(objective, new StudyOptions { TrialBudget = 5 }, pool, CancellationToken.None);
        var results = await Task.WhenAll(east, west).WaitAsync(HangGuard);
        Assert.Equal([6, 5], results.Select(r => r.Trials.Count));
        Assert.True(most <= 2, $"{most} trials ran at once on 2 slots");
        Assert.Equal(0, clashes);
        // Every slot is back: both can be taken at once.
        Assert.True(pool.AcquireAsync(CancellationToken.None).IsCompletedSuccessfully && pool.AcquireAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task CancellingAStudyThatWaitsForASlotGivesEverySlotBack()
    {
        var pool = new TrialSlotPool(["only"]);
        var holderStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The first study holds the only slot until released; the second waits for it and is cancelled meanwhile.
        var holder = new Study(Space, Fast(seed: 1)).RunAsync(async (TrialContext trial, CancellationToken ct) =>
        {
            holderStarted.TrySetResult();
            await release.Task.WaitAsync(HangGuard, ct);
            return Bowl(trial.Parameters);
        }, new StudyOptions { TrialBudget = 1 }, pool, CancellationToken.None);
        await holderStarted.Task.WaitAsync(HangGuard);
        using var cancel = new CancellationTokenSource();
        var ran = 0;
        var waiter = new Study(Space, Fast(seed: 2)).RunAsync((TrialContext trial, CancellationToken ct) =>
        {
            Interlocked.Increment(ref ran);
            return Task.FromResult(Bowl(trial.Parameters));
        }, new StudyOptions { TrialBudget = 3 }, pool, cancel.Token);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter.WaitAsync(HangGuard));
        release.TrySetResult();
        await holder.WaitAsync(HangGuard);
        Assert.Equal(0, ran);
        Assert.True(pool.AcquireAsync(CancellationToken.None).IsCompletedSuccessfully, "the slot did not come back");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
