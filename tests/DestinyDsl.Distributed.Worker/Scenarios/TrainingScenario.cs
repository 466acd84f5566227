using System.Globalization;
using DestinyDsl.Distributed.Worker.Networks;
using DestinyDsl.Runtime;
using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Training;

namespace DestinyDsl.Distributed.Worker.Scenarios;

/// <summary>
/// Trains one of the generated networks of Networks/Training.dnet for <see cref="Steps"/> steps on a device group
/// and prints each step's loss (round-trip format) and the traffic of the step. Run on one in-process shard it is
/// the reference; on P in-process shards or P MPI ranks the losses must agree within float rounding. Names with
/// <see cref="WeightedSuffix"/> train with per-example weights, which every rank gives its batch rows alike.
/// </summary>
public static class TrainingScenario
{
    public const int Steps = 20;
    private const int Items = 37;
    private const int Rows = 160;

    public static readonly string[] Networks =
        ["SparseSgd", "SparseMomentum", "SparseNesterov", "SparseAdaGrad", "SparseRmsProp", "SparseAdaDelta", "SparseAdam", "DenseSkip", "SparseScheduled", "SparseTied", "DenseTied", "SparseBatchNorm",
         "SparseRmsProp" + WeightedSuffix, "DenseSkip" + WeightedSuffix];

    /// <summary>A network name ending so trains the network of that name with per-example weights (every seventh 0).</summary>
    public const string WeightedSuffix = "Weighted";

    public static List<string> Run(string network, DeviceGroup devices, int region = 0)
    {
        using var model = Create(network, devices);
        var data = Data(network, region);
        var lines = new List<string>();
        model.Train(data, new TrainingOptions { Epochs = 2 }, new Lines(p =>
        {
            if (p.Step <= Steps) lines.Add($"step {p.Step} loss {p.Loss.ToString("R", CultureInfo.InvariantCulture)} bytes {p.CommunicationBytes}");
        }));
        return lines;
    }

    public static Model Create(string network, DeviceGroup devices) => Unweighted(network) switch
    {
        "SparseSgd" => new SparseSgd(itemsWidth: Items, devices: devices),
        "SparseMomentum" => new SparseMomentum(itemsWidth: Items, devices: devices),
        "SparseNesterov" => new SparseNesterov(itemsWidth: Items, devices: devices),
        "SparseAdaGrad" => new SparseAdaGrad(itemsWidth: Items, devices: devices),
        "SparseRmsProp" => new SparseRmsProp(itemsWidth: Items, devices: devices),
        "SparseAdaDelta" => new SparseAdaDelta(itemsWidth: Items, devices: devices),
        "SparseAdam" => new SparseAdam(itemsWidth: Items, devices: devices),
        "DenseSkip" => new DenseSkip(devices: devices),
        "SparseScheduled" => new SparseScheduled(itemsWidth: Items, devices: devices),
        "SparseTied" => new SparseTied(itemsWidth: Items, devices: devices),
        "DenseTied" => new DenseTied(devices: devices),
        "SparseBatchNorm" => new SparseBatchNorm(itemsWidth: Items, devices: devices),
        _ => throw new ScenarioFailure($"unknown network '{network}'; expected one of {string.Join(", ", Networks)}"),
    };

    /// <summary>The same data on every rank and in every process (a fixed-seed generator); each region has its own.</summary>
    public static NetworkData Data(string network, int region = 0)
    {
        var data = UnweightedData(Unweighted(network), region);
        if (!network.EndsWith(WeightedSuffix, StringComparison.Ordinal)) return data;
        var random = new Random(7 + region);
        return data.WithExampleWeights(Enumerable.Range(0, Rows).Select(r => r % 7 == 3 ? 0f : (float)(random.NextDouble() * 2.5)).ToArray());
    }

    private static string Unweighted(string network) => network.EndsWith(WeightedSuffix, StringComparison.Ordinal) ? network[..^WeightedSuffix.Length] : network;

    private static NetworkData UnweightedData(string network, int region)
    {
        var random = new Random(2016 + region);
        if (network is "DenseSkip" or "DenseTied")
        {
            var dense = new DenseMatrix(Rows, 9);
            for (var i = 0; i < dense.Data.Length; i++) dense.Data[i] = (float)random.NextDouble();
            return new NetworkData().Add("x", dense);
        }
        var rows = new List<int[]>();
        for (var r = 0; r < Rows; r++)
        {
            var count = random.Next(2, 9);
            rows.Add(Enumerable.Range(0, count).Select(_ => random.Next(Items)).Distinct().Order().ToArray());
        }
        return new NetworkData().Add("items", SparseMatrix.FromRows(Items, rows));
    }

    private sealed class Lines(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
