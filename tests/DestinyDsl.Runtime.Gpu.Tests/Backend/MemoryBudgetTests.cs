using DestinyDsl.Distributed.Worker.Networks;
using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Engine;
using DestinyDsl.Runtime.Gpu.Device;
using DestinyDsl.Runtime.Gpu.Tests.Kernels;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Training;

namespace DestinyDsl.Runtime.Gpu.Tests.Backend;

/// <summary>
/// Data larger than device memory: the training data stays in host memory and only the parameters and one or two
/// batches live on the device, so a data set several times the device-memory budget trains; a model whose slice does
/// not fit the budget fails at construction, saying what it needed.
/// </summary>
[Collection(SimulatorCollection.Name)]
public class MemoryBudgetTests
{
    private const int Items = 37;

    [Fact]
    public void A_data_set_larger_than_the_device_budget_trains()
    {
        var data = Data(rows: 4096, perRow: 12);
        var dataBytes = (data.NonZeroCount * sizeof(int)) + ((data.Rows + 1L) * sizeof(long));
        const long budget = 96 * 1024;
        Assert.True(dataBytes > 2 * budget, $"the data ({dataBytes} bytes) should be more than twice the budget");

        using var model = new SparseSgd(Items, devices: DeviceGroup.GpuSimulator(new GpuOptions { MemoryBudget = budget }));
        model.Options.Batch = 64;
        var report = model.Train(SparseSgd.Bind(data), new TrainingOptions { Epochs = 1 });

        Assert.Equal(64, report.Steps);
        Assert.True(double.IsFinite(report.Epochs[^1].TrainingLoss));
        var device = (GpuDevice)((ShardSchedule)model.ShardBackends[0]).Device;
        Assert.InRange(device.Memory.Peak, 1, budget);
    }

    [Fact]
    public void A_model_larger_than_the_budget_fails_at_construction_with_what_it_needed()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new SparseSgd(Items, devices: DeviceGroup.GpuSimulator(new GpuOptions { MemoryBudget = 1024 })));
        Assert.Contains("device-memory budget", error.Message);
        Assert.Contains("gpu-sim:0", error.Message);
    }

    private static SparseMatrix Data(int rows, int perRow)
    {
        var random = new Random(5);
        return SparseMatrix.FromRows(Items, Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, perRow).Select(_ => random.Next(Items)).Distinct().Order().ToArray()));
    }
}
