using System.Globalization;
using DestinyDsl.Distributed.Worker.Scenarios;

namespace DestinyDsl.Benchmarks.Gpu;

/// <summary>The command line: a mode, then options (plain parsing, so the published folder needs nothing more).</summary>
internal sealed record Settings(
    string Mode,
    DeviceChoice Devices,
    IReadOnlyList<string>? Networks,
    int Steps,
    int Warmup,
    int Batch,
    int Items,
    IReadOnlyList<Precision> Precisions,
    BenchNetwork Network,
    string? DataPath,
    string? JsonPath,
    string? OursPath,
    string? PyTorchPath)
{
    public const string Usage = """
        usage: DestinyDsl.Benchmarks.Gpu MODE [options]
          check     CPU (1 shard) vs GPU losses of the equivalence networks, 1e-4 relative; with 2+ devices also the 2-way split
          bench     DSSTNE's benchmark network trained on the GPU (FP32, TF32), its products and element-wise kernels timed alone
          all       check, then bench, then one summary
          summary   the comparison table from --ours (this program's --json) and --pytorch (pytorch_gpu.py's JSON lines)
          data      only write the bench's CSR data file (--data, --steps, --warmup, --batch, --items), e.g. for PyTorch alone
        options:
          --devices gpu|gpu:N|gpu-sim:N   every GPU (default) / the first N GPUs / N simulated GPUs (ILGPU's CPU accelerator)
          --networks A,B                  check only these networks (default: all of TrainingScenario.Networks)
          --steps N  --warmup N           timed steps (default 200) after warm-up steps (default 10; 1 on gpu-sim)
          --batch N  --items N            batch (default 256; 16 on gpu-sim) and item count = input and output width (default 27278)
          --fp32 | --tf32                 bench only that precision (default: both; FP32 only on gpu-sim, which has no TF32)
          --network dsstne|smoke          bench network: DSSTNE's (3×1024 hidden, default on GPUs) or the smoke
                                          version (3×32 hidden, default on gpu-sim, where 1024-wide products take minutes)
          --data FILE                     the CSR data file to write (default: the temp folder); PyTorch reads the same file
          --json FILE                     write the results as JSON (for `summary` and run-on-gpu.sh)
          --ours FILE --pytorch FILE      inputs of `summary`
        """;

    public static Settings Parse(string[] args)
    {
        if (args.Length == 0) throw new UsageException("missing MODE");
        if (args[0] is "-h" or "--help" or "help") throw new UsageException(null);
        var mode = args[0];
        if (mode is not ("check" or "bench" or "all" or "summary" or "data")) throw new UsageException($"unknown mode '{mode}'");

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        string[] valued = ["--devices", "--networks", "--steps", "--warmup", "--batch", "--items", "--network", "--data", "--json", "--ours", "--pytorch"];
        string[] boolean = ["--fp32", "--tf32"];
        for (var i = 1; i < args.Length; i++)
        {
            var a = args[i];
            if (a is "-h" or "--help") throw new UsageException(null);
            var eq = a.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? a[..eq] : a;
            if (boolean.Contains(name) && eq < 0) { flags.Add(name); continue; }
            if (!valued.Contains(name)) throw new UsageException($"unknown option '{a}'");
            if (eq > 0) values[name] = a[(eq + 1)..];
            else if (i + 1 < args.Length) values[name] = args[++i];
            else throw new UsageException($"{name} needs a value");
        }

        int Int(string name, int fallback, int min)
        {
            if (!values.TryGetValue(name, out var v)) return fallback;
            if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min)
                throw new UsageException($"{name} {v}: expected an integer ≥ {min}");
            return n;
        }

        var devices = DeviceChoice.Parse(values.GetValueOrDefault("--devices", "gpu"));
        if (flags.Contains("--fp32") && flags.Contains("--tf32")) throw new UsageException("--fp32 and --tf32 exclude each other (neither = both)");
        // The simulator has no TF32 (it would repeat the FP32 run): FP32 only there unless --tf32 asks.
        Precision[] precisions = flags.Contains("--fp32") ? [Precision.Fp32]
            : flags.Contains("--tf32") ? [Precision.Tf32]
            : devices.Simulated ? [Precision.Fp32] : [Precision.Fp32, Precision.Tf32];
        var network = values.GetValueOrDefault("--network") switch
        {
            null => devices.Simulated ? BenchNetwork.Smoke : BenchNetwork.Dsstne,
            "dsstne" => BenchNetwork.Dsstne,
            "smoke" => BenchNetwork.Smoke,
            var other => throw new UsageException($"--network {other}: expected dsstne or smoke"),
        };
        var networks = values.TryGetValue("--networks", out var list)
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : null;
        if (networks?.FirstOrDefault(n => !TrainingScenario.Networks.Contains(n)) is { } unknown)
            throw new UsageException($"--networks: unknown network '{unknown}'; expected some of {string.Join(",", TrainingScenario.Networks)}");
        if (mode == "summary" && !values.ContainsKey("--ours")) throw new UsageException("summary needs --ours FILE");

        return new Settings(
            mode, devices, networks,
            Steps: Int("--steps", 200, 1),
            Warmup: Int("--warmup", devices.Simulated ? 1 : 10, 1),
            Batch: Int("--batch", devices.Simulated ? 16 : 256, 1),
            Items: Int("--items", 27278, 2),
            precisions, network,
            values.GetValueOrDefault("--data"),
            values.GetValueOrDefault("--json"),
            values.GetValueOrDefault("--ours"),
            values.GetValueOrDefault("--pytorch"));
    }
}

/// <summary>Products in full FP32, or with cuBLAS allowed to use TF32 tensor cores.</summary>
internal enum Precision { Fp32, Tf32 }

/// <summary>Which network the bench trains.</summary>
internal enum BenchNetwork { Dsstne, Smoke }

/// <summary>Bad arguments: exit code 2 with the usage text.</summary>
internal sealed class UsageException(string? message) : Exception(message ?? "usage");
