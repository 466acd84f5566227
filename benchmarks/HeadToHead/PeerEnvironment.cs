namespace DestinyDsl.Benchmarks.HeadToHead;

/// <summary>
/// One environment the PyTorch peer runs under. The harness tries each and compares with the fastest, so the ratio
/// is against PyTorch at its best on this machine, not against whatever the shell happened to export.
/// </summary>
/// <param name="Name">Short label for tables.</param>
/// <param name="Description">What differs from the inherited environment.</param>
/// <param name="Remove">Variables removed from the inherited environment.</param>
/// <param name="Set">Variables set (overriding inherited ones).</param>
internal sealed record PeerEnvironment(string Name, string Description, string[] Remove, Dictionary<string, string> Set)
{
    // OpenBLAS's own kernel choice: a machine-wide OPENBLAS_CORETYPE=Haswell (set on these machines) forces AVX2
    // kernels on an AVX-512 core, and OPENBLAS_L2_SIZE mis-sizes its blocking.
    private static readonly string[] OpenBlasOverrides = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"];

    // glibc's malloc backs large allocations with transparent huge pages (THP is in madvise mode here): PyTorch
    // allocates fresh activation and gradient buffers every step, and without this ~40% of its step is page faults.
    private const string GlibcHugePages = "glibc.malloc.hugetlb=1";

    /// <summary>
    /// The environments worth trying on this machine: as inherited (when it overrides OpenBLAS), OpenBLAS's own
    /// choice, plus malloc huge pages, plus jemalloc or tcmalloc when installed (<c>apt-get install libjemalloc2
    /// libtcmalloc-minimal4</c>); the names of allocators that are not installed come back in <paramref name="missing"/>.
    /// </summary>
    public static IReadOnlyList<PeerEnvironment> Candidates(out IReadOnlyList<string> missing)
    {
        var list = new List<PeerEnvironment>();
        var absent = new List<string>();
        if (OpenBlasOverrides.Any(v => Environment.GetEnvironmentVariable(v) is not null))
        {
            var inherited = string.Join(", ", OpenBlasOverrides.Where(v => Environment.GetEnvironmentVariable(v) is not null).Select(v => $"{v}={Environment.GetEnvironmentVariable(v)}"));
            list.Add(new PeerEnvironment("inherited", $"as inherited ({inherited})", [], []));
        }
        list.Add(new PeerEnvironment("openblas-auto", "OpenBLAS's own kernel choice (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE unset)", OpenBlasOverrides, []));
        list.Add(new PeerEnvironment("hugetlb", $"openblas-auto + GLIBC_TUNABLES={GlibcHugePages}", OpenBlasOverrides,
            new() { ["GLIBC_TUNABLES"] = Append(Environment.GetEnvironmentVariable("GLIBC_TUNABLES"), GlibcHugePages) }));

        var jemalloc = FindLibrary("libjemalloc.so.2");
        if (jemalloc is null) absent.Add("jemalloc (libjemalloc2)");
        else
        {
            // Huge pages for jemalloc's extents and metadata; background threads return memory without stalling the step.
            list.Add(new PeerEnvironment("jemalloc", $"openblas-auto + LD_PRELOAD={jemalloc}, MALLOC_CONF thp:always", OpenBlasOverrides,
                new() { ["LD_PRELOAD"] = jemalloc, ["MALLOC_CONF"] = "thp:always,metadata_thp:always,background_thread:true,dirty_decay_ms:10000" }));
        }
        var tcmalloc = FindLibrary("libtcmalloc_minimal.so.4");
        if (tcmalloc is null) absent.Add("tcmalloc (libtcmalloc-minimal4)");
        else
        {
            list.Add(new PeerEnvironment("tcmalloc", $"openblas-auto + hugetlb + LD_PRELOAD={tcmalloc}", OpenBlasOverrides,
                new() { ["LD_PRELOAD"] = tcmalloc, ["GLIBC_TUNABLES"] = Append(Environment.GetEnvironmentVariable("GLIBC_TUNABLES"), GlibcHugePages) }));
        }
        missing = absent;
        return list;
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
