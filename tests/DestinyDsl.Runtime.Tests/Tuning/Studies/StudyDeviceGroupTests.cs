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
    public async Task AFinishedTrialsSlotIsFreeOnlyAfterTheTrialWasRecorded()
    {
        // TrialFinished runs once the result is recorded and told to the optimiser. A slot handed on before that would
        // let the next suggestion made for it (in this study or another one sharing the pool) miss that result. So while
        // TrialFinished runs, the finished trial's slot must not be free: probe the pool with a cancelled token, which
        // takes a free slot if there is one and never waits. (One study with as many slots as trials at once: nobody
        // else waits for a slot, so a slot given back early would be in the free list.)
        var pool = new TrialSlotPool(["slot a", "slot b"]);
        var slotOf = new ConcurrentDictionary<int, object>();
        var freedEarly = new ConcurrentQueue<string>();
        var probes = 0;
        var options = new StudyOptions
        {
            TrialBudget = 10,
            TrialFinished = record =>
            {
                probes++;
                var probe = pool.AcquireAsync(new CancellationToken(canceled: true));
                if (!probe.IsCompletedSuccessfully)
                    return;
                if (Equals(probe.Result, slotOf[record.Id]))
                    freedEarly.Enqueue($"trial {record.Id}'s {probe.Result}");
                pool.Release(probe.Result); // not ours to keep
            },
        };
        await new Study(Space, Fast(seed: 5)).RunAsync(async (TrialContext trial, CancellationToken ct) =>
        {
            slotOf[trial.TrialId] = trial.Slot!;
            await Task.Yield();
            return Bowl(trial.Parameters);
        }, options, pool, CancellationToken.None).WaitAsync(HangGuard);

        Assert.Equal(10, probes);
        Assert.True(freedEarly.IsEmpty, $"free while TrialFinished ran: {string.Join(", ", freedEarly)}");
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
