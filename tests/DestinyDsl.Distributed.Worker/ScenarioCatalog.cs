using DestinyDsl.Distributed.Worker.Scenarios;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Distributed.Mpi;

namespace DestinyDsl.Distributed.Worker;

/// <summary>The scenarios a rank can run; each prints what the tests assert on.</summary>
internal static class ScenarioCatalog
{
    public static readonly string[] Names =
    [
        "info", "collectives", "split", "device-split", "two-models", "throw-unhandled", "throw-caught", "exit-code",
        "comm-abort", "nullref", "mpi-error", "bench-allgather", "bench-inprocess", "train", "regions",
        "ckpt-save", "ckpt-load", "ckpt-traffic", "ckpt-errors", "ckpt-fault", "fault", "cancel", "diverge", "study", "messages",
    ];

    public static int Run(string scenario, string[] arguments)
    {
        switch (scenario)
        {
            case "info": return Info();
            case "collectives": return WithShard((_, comm) => Print(CollectiveScenario.Run(comm)));
            case "split": return WithShard((_, comm) => Print(SplitScenario.Run(comm)));
            case "device-split": return DeviceSplit();
            case "two-models": return TwoModels();
            case "throw-unhandled": return ThrowUnhandled(Rank(arguments));
            case "throw-caught": return ThrowCaught(Rank(arguments));
            case "exit-code": return ExitCode(Rank(arguments));
            case "comm-abort": return CommunicatorAbort(Rank(arguments));
            case "nullref": return NullReference();
            case "mpi-error": return MpiError();
            case "train": return Train(arguments);
            case "regions": return Regions(arguments);
            case "ckpt-save": return Checkpoint(arguments, 3, group => CheckpointScenario.TrainAndSave(arguments[0], group, arguments[1], Int(arguments, 2, 1)));
            case "ckpt-load": return Checkpoint(arguments, 4, group => CheckpointScenario.LoadAndContinue(arguments[0], group, arguments[1], arguments[2] == "-" ? null : arguments[2], Int(arguments, 3, 1)));
            case "ckpt-traffic": return Checkpoint(arguments, 2, group => CheckpointScenario.Traffic(group, Int(arguments, 0, 0), arguments[1]));
            case "ckpt-errors": return Checkpoint(arguments, 4, group => CheckpointScenario.Errors(arguments[0], group, arguments[1], arguments[2], arguments[3]));
            case "ckpt-fault": return Checkpoint(arguments, 3, group => CheckpointScenario.FailingSave(FaultyDevices.OnRanks(group, new ShardFault(Int(arguments, 0, 0), -1, Int(arguments, 1, 0), FaultKind.ThrowOnDownload)), arguments[2]));
            case "fault": return Checkpoint(arguments, 2, group => FailureScenario.Fault(FaultyDevices.OnRanks(group, FailureScenario.At(Int(arguments, 0, 0), Int(arguments, 1, 0), FaultKind.Throw))));
            case "cancel": return Checkpoint(arguments, 2, group => FailureScenario.Cancel(group, MpiJob.WorldRank == Int(arguments, 0, 0), Int(arguments, 1, 0)));
            case "diverge": return Checkpoint(arguments, 2, group => FailureScenario.Diverge(FaultyDevices.OnRanks(group, FailureScenario.At(Int(arguments, 0, 0), Int(arguments, 1, 0), FaultKind.Poison))));
            case "study": return StudyScenario.Run(arguments[0], Int(arguments, 1, 1), arguments.Contains("coordinator-trains"), arguments.Contains("one-rank-fails") ? "one-rank-fails" : "");
            case "messages": return MessagesScenario.Run();
            case "bench-allgather": return Benchmarks.MpiAllGather(Int(arguments, 0, 1 << 20), Int(arguments, 1, 200));
            case "bench-inprocess": return Benchmarks.InProcessAllGather(Int(arguments, 0, 4), Int(arguments, 1, 1 << 20), Int(arguments, 2, 200));
            default:
                Console.Error.WriteLine($"worker: unknown scenario '{scenario}'; expected one of {string.Join(", ", Names)}");
                return 64;
        }
    }

    private static int Train(string[] arguments)
    {
        if (arguments.Length != 1) throw new ScenarioFailure($"train needs one network name: {string.Join(", ", TrainingScenario.Networks)}");
        var group = StartMpi();
        Print(TrainingScenario.Run(arguments[0], group));
        Output.Line("done");
        return 0;
    }

    /// <summary>A model scenario on every rank of the world: prints its lines, then "done".</summary>
    private static int Checkpoint(string[] arguments, int count, Func<DeviceGroup, List<string>> scenario)
    {
        if (arguments.Length != count) throw new ScenarioFailure($"this scenario needs {count} arguments, got {arguments.Length}");
        var group = StartMpi();
        Print(scenario(group));
        Output.Line("done");
        return 0;
    }

    /// <summary>
    /// One model per region in one job: the ranks split into groups (color = region), and each group trains its
    /// region's model model-parallel on its own data.
    /// </summary>
    private static int Regions(string[] arguments)
    {
        if (arguments.Length != 2) throw new ScenarioFailure("regions needs a network name and a region count");
        var world = StartMpi();
        var regions = Int(arguments, 1, 2);
        var region = MpiJob.WorldRank % regions;
        var group = world.Split(region, key: MpiJob.WorldRank);
        Output.Line($"region {region} shards {group.ShardCount} group-primary={group.IsGroupPrimary}");
        Print(TrainingScenario.Run(arguments[0], group, region).Select(line => $"region {region} {line}"));
        Output.Line("done");
        return 0;
    }

    private static DeviceGroup StartMpi()
    {
        var group = DeviceGroup.FromMpi();
        Output.SetRank(MpiJob.WorldRank, MpiJob.WorldSize);
        return group;
    }

    private static int WithShard(Action<DeviceGroup, ICommunicator> body)
    {
        var group = StartMpi();
        Output.Line($"group {group.Description} primary={group.IsPrimary}");
        using var comm = group.CreateShardCommunicators().Single();
        body(group, comm);
        Output.Line("done");
        return 0;
    }

    private static void Print(IEnumerable<string> lines)
    {
        foreach (var line in lines) Output.Line(line);
    }

    private static int Info()
    {
        var group = StartMpi();
        Output.Line($"info library={MpiJob.LibraryVersion} file={MpiJob.LibraryFile} thread={MpiJob.ThreadLevel} "
                    + $"rank={MpiJob.WorldRank} size={MpiJob.WorldSize} shards={group.ShardCount} primary={group.IsPrimary}");
        Output.Line($"description {group.Description}");
        Output.Line($"native UCX_HANDLE_ERRORS={DestinyDsl.Runtime.Interop.Libc.Get("UCX_HANDLE_ERRORS") ?? "(unset)"}");
        return 0;
    }

    private static int DeviceSplit()
    {
        var world = StartMpi();
        int groups = Math.Max(1, world.ShardCount / 2);
        int color = MpiJob.WorldRank % groups;
        var part = world.Split(color, key: MpiJob.WorldRank);
        using var comm = part.CreateShardCommunicators().Single();
        Output.Line($"device-split color={color} shards={part.ShardCount} rank={comm.Rank} group-primary={part.IsGroupPrimary} primary={part.IsPrimary} description={part.Description}");
        Print(CollectiveScenario.Run(comm).Select(line => $"part {line}"));
        Output.Line("done");
        return 0;
    }

    private static int TwoModels()
    {
        var group = StartMpi();
        using var first = group.CreateShardCommunicators().Single();
        using var second = group.CreateShardCommunicators().Single();
        Print(TwoModelsScenario.Run(first, second));
        Output.Line("done");
        return 0;
    }

    // The failing rank throws out of Main; the others wait in a barrier that can only end by MPI_Abort.
    private static int ThrowUnhandled(int failing)
    {
        using var comm = StartMpi().CreateShardCommunicators().Single();
        comm.Barrier();
        if (comm.Rank == failing) throw new InvalidOperationException($"planned failure on rank {failing}");
        comm.Barrier();
        Output.Line("unexpected: the barrier completed without the failing rank");
        return 0;
    }

    private static int ThrowCaught(int failing)
    {
        using var comm = StartMpi().CreateShardCommunicators().Single();
        try
        {
            if (comm.Rank == failing) throw new InvalidOperationException($"planned failure on rank {failing}, caught");
            comm.AllReduce(new float[16], ReductionOperation.Sum);
            Output.Line("unexpected: the all-reduce completed without the failing rank");
            return 0;
        }
        catch (Exception failure)
        {
            MpiJob.AbortOnFailure(failure);
            Output.Line("unexpected: AbortOnFailure returned");
            return 1;
        }
    }

    private static int ExitCode(int failing)
    {
        using var comm = StartMpi().CreateShardCommunicators().Single();
        comm.Barrier();
        if (comm.Rank == failing)
        {
            Console.Error.WriteLine($"rank {failing}: returning exit code 3 while the others wait");
            return 3;
        }
        comm.Barrier();
        Output.Line("unexpected: the barrier completed without the exiting rank");
        return 0;
    }

    private static int CommunicatorAbort(int failing)
    {
        using var comm = StartMpi().CreateShardCommunicators().Single();
        if (comm.Rank == failing) comm.Abort(new InvalidOperationException($"planned abort through ICommunicator on rank {failing}"));
        comm.Barrier();
        Output.Line("unexpected: the barrier completed without the aborting rank");
        return 0;
    }

    // After MPI_Init (UCX's signal handlers are installed by then under MPICH) a .NET null dereference must still be
    // an ordinary, catchable NullReferenceException.
    private static int NullReference()
    {
        using var comm = StartMpi().CreateShardCommunicators().Single();
        try
        {
            string? nothing = Environment.GetEnvironmentVariable("DESTINYDSL_DEFINITELY_UNSET_VARIABLE");
            Output.Line($"length {nothing!.Length}");
        }
        catch (NullReferenceException)
        {
            Output.Line("caught NullReferenceException");
        }
        comm.Barrier();
        Output.Line("done");
        return 0;
    }

    // A deliberately invalid MPI call (a barrier on MPI_COMM_NULL) must come back as an MpiException naming the call.
    private static unsafe int MpiError()
    {
        StartMpi();
        var session = MpiJob.Start();
        try
        {
            using (session.BeginCall("MPI_Barrier")) session.Api.Check(session.Api.Barrier(session.Api.CommNull), "MPI_Barrier");
            Output.Line("unexpected: MPI_Barrier(MPI_COMM_NULL) succeeded");
            return 1;
        }
        catch (MpiException error)
        {
            Output.Line($"mpi-error call={error.Call} code={error.ErrorCode} message={error.Message}");
            return 0;
        }
    }

    private static int Rank(string[] arguments)
        => arguments.Length > 0 && int.TryParse(arguments[0], out var rank) ? rank
            : throw new ArgumentException("this scenario needs the failing rank as its argument");

    private static int Int(string[] arguments, int index, int fallback)
        => arguments.Length > index ? int.Parse(arguments[index]) : fallback;

}
