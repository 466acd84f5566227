using DestinyDsl.Distributed.Worker;
using DestinyDsl.Runtime.Distributed;

// One rank of a test job: `dotnet DestinyDsl.Distributed.Worker.dll <scenario> [arguments]` under mpirun.
// Every line a rank prints starts with "[rank/size] " so the tests can pick each rank's output out of the job's.
if (args.Length == 0)
{
    Console.Error.WriteLine($"usage: DestinyDsl.Distributed.Worker <scenario> [arguments]; scenarios: {string.Join(", ", ScenarioCatalog.Names)}");
    return 64;
}
try
{
    return ScenarioCatalog.Run(args[0], args.Skip(1).ToArray());
}
catch (MpiException setup)
{
    // MPI could not start (no library, wrong library for the launcher): report it like an application would.
    Console.Error.WriteLine($"worker: MpiException: {setup.Message}");
    return 2;
}
