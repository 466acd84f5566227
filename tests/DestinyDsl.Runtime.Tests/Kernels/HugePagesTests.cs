using System.Globalization;
using System.Runtime.InteropServices;
using DestinyDsl.Runtime.Kernels;
using DestinyDsl.Runtime.Kernels.Buffers;

namespace DestinyDsl.Runtime.Tests.Kernels;

/// <summary>
/// With <see cref="CpuPaths.HugePages"/> on, large CPU buffers are advised onto transparent huge pages (Linux: the
/// mapping holding them carries the "hg" flag in /proc/self/smaps); small ones, and every one with the switch off,
/// are not; every one is an ordinary zeroed array.
/// </summary>
/// <remarks>Isolated: it flips a process-wide switch and counts advised allocations.</remarks>
[Collection(IsolatedCollection.Name)]
public sealed class HugePagesTests
{
    private const long Large = 5L << 20;   // 20 MiB of floats: several aligned 2 MiB pages inside

    [Fact]
    public void ALargeBufferIsZeroedAndOnAdvisedPages()
    {
        var before = HugePages.Advised;
        var switchedOn = CpuPaths.HugePages;
        CpuPaths.HugePages = true;
        float[] array;
        try
        {
            array = HugePages.AllocateFloats(Large);
        }
        finally
        {
            CpuPaths.HugePages = switchedOn;
        }
        Assert.Equal(Large, array.LongLength);
        Assert.All(array, v => Assert.Equal(0f, v));
        array[^1] = 1f;
        if (!OperatingSystem.IsLinux()) return;
        Assert.Equal(before + 1, HugePages.Advised);
        Assert.True(MappingIsAdvised(array), "the mapping holding the array's aligned interior lacks the hg (MADV_HUGEPAGE) flag");
    }

    [Fact]
    public void SmallBuffersAndTheSwitchedOffPathKeepOrdinaryPages()
    {
        var before = HugePages.Advised;
        var switchedOn = CpuPaths.HugePages;
        float[] large;
        try
        {
            CpuPaths.HugePages = true;
            var small = HugePages.AllocateFloats((HugePages.MinimumBytes / sizeof(float)) - 1);
            Assert.All(small, v => Assert.Equal(0f, v));
            CpuPaths.HugePages = false;
            large = HugePages.AllocateFloats(Large);
        }
        finally
        {
            CpuPaths.HugePages = switchedOn;
        }
        Assert.Equal(Large, large.LongLength);
        Assert.All(large, v => Assert.Equal(0f, v));
        if (OperatingSystem.IsLinux()) Assert.False(MappingIsAdvised(large));
        Assert.Equal(before, HugePages.Advised);
    }

    // Whether the smaps entry containing the first 2 MiB boundary inside the array has VmFlags "hg".
    private static bool MappingIsAdvised(float[] array)
    {
        var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        try
        {
            var address = ((long)handle.AddrOfPinnedObject() + (2 << 20) - 1) & ~((2L << 20) - 1);
            var inside = false;
            foreach (var line in File.ReadLines("/proc/self/smaps"))
            {
                var dash = line.IndexOf('-');
                var space = line.IndexOf(' ');
                if (dash > 0 && space > dash && long.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start)
                    && long.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var end))
                {
                    inside = start <= address && address < end;
                }
                else if (inside && line.StartsWith("VmFlags:", StringComparison.Ordinal))
                {
                    return line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("hg");
                }
            }
            return false;
        }
        finally
        {
            handle.Free();
        }
    }
}
