using DestinyDsl.Distributed.Worker.Networks;
using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Training;
using DestinyDsl.Runtime.Tuning.Optimization;

namespace DestinyDsl.Distributed.Worker.Scenarios;

/// <summary>
/// One trial of the distributed-study tests: the <c>TunedAutoencoder</c> with the trial's learning rate and hidden
/// width, trained <see cref="Epochs"/> epochs on its region's data on a device group. On a group of several MPI ranks
/// it trains model-parallel; the tests train the same parameters on one in-process device and compare each epoch's loss.
/// </summary>
public static class StudyTrial
{
    public const int Epochs = 3;
    private const int Items = 31;
    private const int Rows = 48;

    /// <summary>Trains and calls <paramref name="epochDone"/> with each epoch's mean training loss; returns the last.</summary>
    public static double Train(TrialParameters parameters, string region, DeviceGroup devices, Func<int, double, bool> epochDone)
    {
        var options = new TunedAutoencoderOptions();
        parameters.ApplyTo(options);
        using var model = new TunedAutoencoder(itemsWidth: Items, options: options, devices: devices);
        var data = Data(region);
        var loss = double.NaN;
        for (var epoch = 1; epoch <= Epochs; epoch++)
        {
            loss = model.Train(data, new TrainingOptions { Epochs = 1 }).Epochs[^1].TrainingLoss;
            if (epochDone(epoch, loss))
                break; // pruned
        }
        return loss;
    }

    /// <summary>A fixed-seed data set per region, the same on every rank and in every process.</summary>
    private static NetworkData Data(string region)
    {
        var random = new Random(region.Aggregate(17, (hash, c) => hash * 31 + c));
        var rows = new List<int[]>();
        for (var r = 0; r < Rows; r++)
            rows.Add(Enumerable.Range(0, random.Next(2, 7)).Select(_ => random.Next(Items)).Distinct().Order().ToArray());
        return new NetworkData().Add("items", SparseMatrix.FromRows(Items, rows));
    }
}
