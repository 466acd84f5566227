using System.Runtime.InteropServices;

namespace DestinyDsl.Runtime.Kernels.Buffers;

/// <summary>
/// Large zeroed float arrays backed by transparent huge pages where Linux grants them: pinned (so the range the
/// kernel was told about never moves), then <c>madvise(MADV_HUGEPAGE)</c> on the 2 MiB-aligned interior (the only
/// way to get them when THP is in <c>madvise</c> mode) and <c>MADV_COLLAPSE</c> so the pages are huge now rather than
/// whenever khugepaged gets to them.
/// </summary>
/// <remarks>
/// Why: the step streams the 111 MB output weights and their two optimizer states several times; with 4 KiB pages
/// every 4 KiB of those streams is another TLB entry, and the packing of W's panels reads 256 rows 109 KB apart.
/// Never fails: on another OS, when <see cref="CpuPaths.HugePages"/> is off, for small arrays, or when the kernel
/// refuses either advice (THP <c>never</c>, an old kernel, a seccomp filter), the array is ordinary and correct.
/// </remarks>
internal static unsafe partial class HugePages
{
    private const int AdviseHugePage = 14;   // MADV_HUGEPAGE
    private const int AdviseCollapse = 25;   // MADV_COLLAPSE (Linux 6.1+)
    private const long HugePageBytes = 2 << 20;

    /// <summary>Arrays below this size keep ordinary pages: at most one aligned huge page would fit inside.</summary>
    public const long MinimumBytes = 8 << 20;

    private static volatile bool _unavailable;
    private static int _advised;

    /// <summary>How many arrays were given the advice (tests check that it happened).</summary>
    public static int Advised => Volatile.Read(ref _advised);

    /// <summary>A zeroed array of <paramref name="length"/> floats, on huge pages when large and allowed.</summary>
    public static float[] AllocateFloats(long length)
    {
        if (length * sizeof(float) < MinimumBytes || !CpuPaths.HugePages || _unavailable || !OperatingSystem.IsLinux())
        {
            return new float[length];
        }
        var array = GC.AllocateArray<float>(checked((int)length), pinned: true);
        fixed (float* p = array)
        {
            var start = ((long)p + HugePageBytes - 1) & ~(HugePageBytes - 1);
            var end = ((long)p + (length * sizeof(float))) & ~(HugePageBytes - 1);
            if (end > start && Advise(start, end - start)) Interlocked.Increment(ref _advised);
        }
        return array;
    }

    private static bool Advise(long start, long bytes)
    {
        try
        {
            if (Madvise((nint)start, (nuint)bytes, AdviseHugePage) != 0) return false;
            Madvise((nint)start, (nuint)bytes, AdviseCollapse);   // refused on older kernels: the pages become huge later
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
