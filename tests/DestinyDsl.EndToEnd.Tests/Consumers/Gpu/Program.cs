using System.Globalization;
using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Gpu;
using DestinyDsl.Runtime.Training;

// Trains the generated network for a few steps on one simulated GPU (the GPU backend with the network's generated
// ILGPU kernels, on ILGPU's CPU accelerator) and prints every step's loss: "step <n> loss <value>".
const int Items = 12;
var random = new Random(2016);
var rows = Enumerable.Range(0, 8)
    .Select(_ => Enumerable.Range(0, 3).Select(_ => random.Next(Items)).Distinct().Order().ToArray())
    .ToList();
var data = new NetworkData().Add("items", SparseMatrix.FromRows(Items, rows));

var devices = DeviceGroup.GpuSimulator(1);
Console.WriteLine("devices " + devices.Description);
using var model = new Consumer.Nets.Small(itemsWidth: Items, devices: devices);
var report = model.Train(data, new TrainingOptions { Epochs = 2 }, new Lines(p =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {p.Step} loss {p.Loss:R}"))));
Console.WriteLine("steps " + report.Steps.ToString(CultureInfo.InvariantCulture));

internal sealed class Lines(Action<TrainingProgress> report) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => report(value);
}
