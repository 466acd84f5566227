using DestinyDsl.Language.Lowering;
using DestinyDsl.Language.Model;
using DestinyDsl.Roslyn;
using DestinyDsl.SourceGenerator.Pipeline;

namespace DestinyDsl.SourceGenerator.Emit;

/// <summary>Lowers and emits every network of one compiled file. Never throws (except on cancellation).</summary>
internal static class DnetFileEmitter
{
    /// <summary>The version written into <c>[GeneratedCode]</c>.</summary>
    public static readonly string GeneratorVersion =
        typeof(DnetFileEmitter).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static EmittedDnetFile Emit(CompiledDnetFile file, EquatableArray<HintPrefix> prefixes, CancellationToken cancellationToken)
    {
        var sources = new List<GeneratedSource>();
        var failures = new List<GeneratorFailure>();
        if (file.Failure is not null) failures.Add(file.Failure);

        foreach (var network in file.Networks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                sources.Add(new GeneratedSource(HintNames.For(prefixes, file.Path, network.Name), EmitNetwork(network, file.Path)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures.Add(new GeneratorFailure(LocationInfo.StartOf(file.Path), $"generating network '{network.Name}' failed: {DnetRoslynDiagnostics.Describe(e)}"));
            }
        }
        return new EmittedDnetFile(sources.ToEquatableArray(), failures.ToEquatableArray());
    }

    /// <summary>
    /// The GPU kernels (<c>&lt;Network&gt;.Gpu.g.cs</c>) of every network of one compiled file. The file's own
    /// front-end failure is not repeated here (<see cref="Emit"/> reports it).
    /// </summary>
    public static EmittedDnetFile EmitGpu(CompiledDnetFile file, EquatableArray<HintPrefix> prefixes, CancellationToken cancellationToken)
    {
        if (file.Networks.Count == 0) return EmittedDnetFile.None;
        var sources = new List<GeneratedSource>();
        var failures = new List<GeneratorFailure>();
        foreach (var network in file.Networks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                sources.Add(new GeneratedSource(HintNames.ForGpu(prefixes, file.Path, network.Name), EmitGpuNetwork(network, file.Path)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures.Add(new GeneratorFailure(LocationInfo.StartOf(file.Path), $"generating the GPU kernels of network '{network.Name}' failed: {DnetRoslynDiagnostics.Describe(e)}"));
            }
        }
        return new EmittedDnetFile(sources.ToEquatableArray(), failures.ToEquatableArray());
    }

    /// <summary>The C# of one network (lowering included).</summary>
    public static string EmitNetwork(NetworkModel network, string filePath)
    {
        var plan = NetworkLowering.Lower(network);
        return ModelClassEmitter.Emit(new NetworkEmitContext(network, plan, filePath, GeneratorVersion));
    }

    /// <summary>The GPU kernels of one network (lowering included), the second part of its partial class.</summary>
    public static string EmitGpuNetwork(NetworkModel network, string filePath)
    {
        var plan = NetworkLowering.Lower(network);
        return GpuKernelsEmitter.Emit(new NetworkEmitContext(network, plan, filePath, GeneratorVersion));
    }
}
