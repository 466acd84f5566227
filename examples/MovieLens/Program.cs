using DestinyDsl.Runtime.Training;
using DestinyDsl.Runtime.Checkpoints.Safetensors;
using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Gpu.Native;
using System.CommandLine;
using Samples.MovieLens;

// Command line of the example. Everything has a default: `dotnet run -c Release` trains on the embedded
// synthetic MovieLens-like data on the CPU.
var ratings = new Option<FileInfo?>("--ratings") { Description = "A MovieLens ratings.csv (or u.data / ratings.dat) to train on instead of the synthetic data." };
var devices = new Option<string>("--devices") { Description = "cpu, cpu:N (N in-process shards), mpi (one shard per MPI rank), gpu (every CUDA GPU of the host), gpu:N (the first N), mpi+gpu (one GPU per MPI rank) or gpu-sim:N (N simulated GPUs on the CPU, for debugging).", DefaultValueFactory = _ => "cpu" };
var epochs = new Option<int?>("--epochs") { Description = "Epochs to train (default: the .dnet file's value)." };
var output = new Option<DirectoryInfo>("--output") { Description = "Where the checkpoint and the loss curve go.", DefaultValueFactory = _ => new DirectoryInfo("movielens-output") };
var users = new Option<int>("--users") { Description = "Synthetic data: number of users.", DefaultValueFactory = _ => ExampleSettings.DefaultUsers };
var ratingsAsValues = new Option<bool>("--ratings-as-values") { Description = "With --ratings: store each rating as the matrix value (the inputs and targets carry 1–5) instead of 1 for every rated movie (the default)." };
var items = new Option<int>("--items") { Description = "Synthetic data: number of items.", DefaultValueFactory = _ => ExampleSettings.DefaultItems };
var tune = new Option<int?>("--tune") { Description = "Tune MovieLens.dnet's tune(...) ranges with N trials (Bayesian optimisation on a validation split of the training data), then train the best setting and compare it with the defaults and popularity on the held-out items." };
var trialsAtOnce = new Option<int>("--trials-at-once") { Description = "With --tune: trials trained at the same time, each on its own device group (more than 1 makes the result depend on timing).", DefaultValueFactory = _ => 1 };

var root = new RootCommand("Trains the MovieLens.dnet autoencoder and recommends movies.") { ratings, ratingsAsValues, devices, epochs, output, users, items, tune, trialsAtOnce };
root.SetAction(parse =>
{
    var settings = new ExampleSettings(
        parse.GetValue(ratings),
        parse.GetValue(devices)!,
        parse.GetValue(epochs),
        parse.GetValue(output)!,
        parse.GetValue(users),
        parse.GetValue(items),
        parse.GetValue(ratingsAsValues),
        parse.GetValue(tune),
        parse.GetValue(trialsAtOnce));
    return settings.Tune is null ? Runner.Run(settings) : TuningRunner.Run(settings);
});
// Errors a user can fix (a bad data file, a missing file, a wrong option) are one clear line, not a stack trace.
try
{
    return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is DataFormatException or FileNotFoundException or DirectoryNotFoundException or CheckpointFormatException or MpiException or GpuUnavailableException or ArgumentException or TrainingDivergedException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    MpiJob.AbortOnFailure(e);   // under MPI one failing rank ends the whole job instead of leaving the others waiting
    return 1;
}
catch (Exception e)
{
    MpiJob.AbortOnFailure(e);
    throw;
}
