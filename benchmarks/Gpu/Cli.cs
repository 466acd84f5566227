using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using DestinyDsl.Runtime.Gpu.Native;

namespace DestinyDsl.Benchmarks.Gpu;

/// <summary>Dispatches the modes, writes the JSON results, maps failures to exit codes.</summary>
internal static class Cli
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static int Run(string[] args)
    {
        Settings settings;
        try
        {
            settings = Settings.Parse(args);
        }
        catch (UsageException e) when (e.Message == "usage")
        {
            Console.WriteLine(Settings.Usage);
            return 0;
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(Settings.Usage);
            return 2;
        }

        try
        {
            return settings.Mode switch
            {
                "summary" => Summarise(settings),
                "data" => WriteData(settings),
                _ => Measure(settings),
            };
        }
        catch (Exception e) when (Unavailable(e) is { } unavailable)
        {
            Console.Error.WriteLine(unavailable.Message.ReplaceLineEndings(" "));
            return 1;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"error: {e}");
            return 3;
        }
    }

    /// <summary>The <see cref="GpuUnavailableException"/> behind <paramref name="e"/> (wrapped by a type initializer, a task…), if any.</summary>
    public static GpuUnavailableException? Unavailable(Exception? e)
    {
        for (var depth = 0; e is not null && depth < 16; depth++)
        {
            if (e is GpuUnavailableException u) return u;
            if (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
            else e = e.InnerException;
        }
        return null;
    }

    private static int Measure(Settings s)
    {
        var count = s.Devices.Count();   // without a GPU: GpuUnavailableException now, before anything is printed
        Console.WriteLine($"DestinyDsl GPU {s.Mode}: devices {s.Devices} ({count}), {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores");
        CheckResult? check = null;
        BenchResult? bench = null;
        // The JSON file is rewritten after each part, so that a run stopped by a time limit keeps what it measured.
        Results Save(BenchResult? partial)
        {
            var results = new Results(s.Mode, s.Devices.ToString(), Environment.ProcessorCount, RuntimeInformation.FrameworkDescription, check, partial);
            if (s.JsonPath is { } path)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                File.WriteAllText(path, JsonSerializer.Serialize(results, Json));
            }
            return results;
        }
        if (s.Mode is "check" or "all")
        {
            check = EquivalenceCheck.Run(s);
            Save(null);
            Console.WriteLine();
        }
        if (s.Mode is "bench" or "all") bench = TrainingBench.Run(s, partial => Save(partial));
        var results = Save(bench);
        if (s.Mode == "all" || bench is not null)
        {
            Console.WriteLine();
            Summary.Print(Console.Out, results, pytorch: null);
            if (s.JsonPath is { } written) Console.WriteLine($"results: {Path.GetFullPath(written)}");
        }
        return check is { Passed: false } || bench is { Failures.Count: > 0 } ? 1 : 0;
    }

    private static int WriteData(Settings s)
    {
        TrainingBench.Data(s, reuse: false);
        return 0;
    }

    private static int Summarise(Settings s)
    {
        var ours = JsonSerializer.Deserialize<Results>(File.ReadAllText(s.OursPath!), Json)
            ?? throw new InvalidDataException($"{s.OursPath}: empty");
        var pytorch = s.PyTorchPath is { } p && File.Exists(p) ? PyTorchRun.ReadLines(p) : null;
        if (s.PyTorchPath is { } missing && pytorch is null) Console.WriteLine($"(no PyTorch results: {missing} does not exist)");
        Summary.Print(Console.Out, ours, pytorch);
        return 0;
    }
}

/// <summary>What one run of this program measured (the --json file).</summary>
internal sealed record Results(string Mode, string Devices, int Cores, string Framework, CheckResult? Check, BenchResult? Bench);
