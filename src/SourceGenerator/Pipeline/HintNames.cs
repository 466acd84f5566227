using DestinyDsl.Language.Model;
using DestinyDsl.SourceGenerator.Emit;

namespace DestinyDsl.SourceGenerator.Pipeline;

/// <summary>A .dnet path and the prefix of its generated files' hint names.</summary>
internal sealed record HintPrefix(string Path, string Prefix);

/// <summary>
/// Hint names: <c>&lt;FileStem&gt;.&lt;Network&gt;.g.cs</c> (and <c>.Gpu.g.cs</c> for the GPU kernels). When two .dnet files share a stem (<c>a/Net.dnet</c>,
/// <c>b/Net.dnet</c>) each stem gets a short hash of the file's full path, so they never collide.
/// </summary>
internal static class HintNames
{
    public static EquatableArray<HintPrefix> Assign(IEnumerable<string> paths)
    {
        var all = paths.Distinct(StringComparer.Ordinal).ToList();
        var stems = all.GroupBy(Stem, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
        return all
            .Select(p => new HintPrefix(p, stems[Stem(p)] == 1 ? Stem(p) : Stem(p) + "." + PathHash(p)))
            .OrderBy(h => h.Path, StringComparer.Ordinal)
            .ToEquatableArray();
    }

    public static string For(EquatableArray<HintPrefix> prefixes, string path, string network)
    {
        var prefix = prefixes.FirstOrDefault(h => h.Path == path)?.Prefix ?? Stem(path) + "." + PathHash(path);
        return $"{prefix}.{CSharpNames.HintSafe(network)}.g.cs";
    }

    /// <summary>The hint name of a network's GPU kernels: <c>&lt;FileStem&gt;.&lt;Network&gt;.Gpu.g.cs</c>.</summary>
    public static string ForGpu(EquatableArray<HintPrefix> prefixes, string path, string network)
    {
        var hint = For(prefixes, path, network);
        return hint.Substring(0, hint.Length - ".g.cs".Length) + ".Gpu.g.cs";
    }

    private static string Stem(string path) => CSharpNames.HintSafe(System.IO.Path.GetFileNameWithoutExtension(path));

    /// <summary>FNV-1a of the path with separators unified: stable across runs and machines (string.GetHashCode is not).</summary>
    private static string PathHash(string path)
    {
        var hash = 2166136261u;
        foreach (var ch in path.Replace('\\', '/'))
        {
            hash = unchecked((hash ^ ch) * 16777619u);
        }
        return hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
    }
}
