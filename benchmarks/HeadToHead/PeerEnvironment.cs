namespace DestinyDsl.Benchmarks.HeadToHead;

/// <summary>
/// One environment the PyTorch peer runs under: an OpenBLAS kernel choice combined with a memory allocator. The
/// harness tries every combination and compares with the fastest, so the ratio is against PyTorch at its best on
/// this machine, not against whatever the shell happened to export. Which combination wins depends on the machine:
/// on a Zen 4 host OpenBLAS's own choice plus malloc huge pages was fastest; on a Xeon (AVX-512) host forcing the
/// Haswell (AVX2) kernels beat OpenBLAS's own AVX-512 choice by 1.8×.
/// </summary>
/// <param name="Name">Short label for tables (kernels/allocator).</param>
/// <param name="Description">What differs from the inherited environment.</param>
/// <param name="Remove">Variables removed from the inherited environment.</param>
/// <param name="Set">Variables set (overriding inherited ones).</param>
internal sealed record PeerEnvironment(string Name, string Description, string[] Remove, Dictionary<string, string> Set)
{
    private static readonly string[] OpenBlasOverrides = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"];

    // glibc's malloc backs large allocations with transparent huge pages (THP is in madvise mode here): PyTorch
    // allocates fresh activation and gradient buffers every step, and without this much of its step is page faults.
    private const string GlibcHugePages = "glibc.malloc.hugetlb=1";

    /// <summary>
    /// Every combination of the kernel choices (as inherited when the environment sets OpenBLAS variables,
    /// OpenBLAS's own choice, Haswell forced) and the allocators (glibc, glibc with huge pages, jemalloc and tcmalloc
    /// when installed: <c>apt-get install libjemalloc2 libtcmalloc-minimal4</c>); allocators that are not installed
    /// come back in <paramref name="missing"/>.
    /// </summary>
    public static IReadOnlyList<PeerEnvironment> Candidates(out IReadOnlyList<string> missing)
    {
        var kernels = new List<(string Name, string Description, string[] Remove, Dictionary<string, string> Set)>();
        var inherited = OpenBlasOverrides.Where(v => Environment.GetEnvironmentVariable(v) is not null).Select(v => $"{v}={Environment.GetEnvironmentVariable(v)}").ToArray();
        if (inherited.Length > 0) kernels.Add(("inherited", $"as inherited ({string.Join(", ", inherited)})", [], []));
        kernels.Add(("auto", "OpenBLAS's own kernel choice (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE unset)", OpenBlasOverrides, []));
        if (Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") != "Haswell")
            kernels.Add(("haswell", "OPENBLAS_CORETYPE=Haswell (AVX2 kernels)", ["OPENBLAS_L2_SIZE"], new() { ["OPENBLAS_CORETYPE"] = "Haswell" }));

        var tunables = Environment.GetEnvironmentVariable("GLIBC_TUNABLES");
        var allocators = new List<(string Name, string Description, Dictionary<string, string> Set)>
        {
            ("glibc", "glibc malloc", []),
            ("hugetlb", $"GLIBC_TUNABLES={GlibcHugePages}", new() { ["GLIBC_TUNABLES"] = Append(tunables, GlibcHugePages) }),
        };
        var absent = new List<string>();
        if (FindLibrary("libjemalloc.so.2") is { } jemalloc)
        {
            // Huge pages for jemalloc's extents and metadata; background threads return memory without stalling the step.
            allocators.Add(("jemalloc", $"LD_PRELOAD={jemalloc}, MALLOC_CONF thp:always", new()
            {
                ["LD_PRELOAD"] = jemalloc,
                ["MALLOC_CONF"] = "thp:always,metadata_thp:always,background_thread:true,dirty_decay_ms:10000",
            }));
        }
        else absent.Add("jemalloc (libjemalloc2)");
        if (FindLibrary("libtcmalloc_minimal.so.4") is { } tcmalloc)
            allocators.Add(("tcmalloc", $"LD_PRELOAD={tcmalloc}", new() { ["LD_PRELOAD"] = tcmalloc }));
        else absent.Add("tcmalloc (libtcmalloc-minimal4)");
        missing = absent;

        return kernels.SelectMany(k => allocators.Select(a => new PeerEnvironment(
            $"{k.Name}/{a.Name}", $"{k.Description}; {a.Description}", k.Remove,
            k.Set.Concat(a.Set).ToDictionary(p => p.Key, p => p.Value)))).ToArray();
    }

    /// <summary>Applies this environment to a child process's start info.</summary>
    public void ApplyTo(System.Diagnostics.ProcessStartInfo start)
    {
        foreach (var name in Remove) start.Environment.Remove(name);
        foreach (var (name, value) in Set) start.Environment[name] = value;
    }

    private static string Append(string? tunables, string tunable) => string.IsNullOrEmpty(tunables) ? tunable : $"{tunables}:{tunable}";

    private static string? FindLibrary(string file)
        => new[] { "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib" }
            .Select(dir => Path.Combine(dir, file)).FirstOrDefault(File.Exists);
}
