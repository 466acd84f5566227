using System.Runtime.Intrinsics;
using DestinyDsl.Runtime.Kernels.Simd;
using Xunit.Abstractions;

namespace DestinyDsl.Runtime.Tests.Kernels;

/// <summary>
/// The SIMD kernel tests run once per register width the CPU accelerates (<see cref="KernelTestData.Widths"/>); a
/// width it lacks (512 bits without AVX-512) cannot be tested on it. That must be visible, not silent: this test names
/// the widths that ran and the ones that did not, in its output and, when <c>DESTINYDSL_TEST_REPORTS</c> names a
/// folder (<c>.ci/run</c> sets it), in <c>kernel-widths.txt</c> there, which <c>.ci/run</c> prints. A missing width is
/// reported, not failed: CI on a machine without AVX-512 passes and says what it did not cover.
/// </summary>
public sealed class KernelWidthCoverageTests(ITestOutputHelper output)
{
    internal sealed record WidthSupport(int Width, bool Accelerated, string Needs);

    internal static WidthSupport[] ThisMachine() =>
    [
        new(512, Vector512.IsHardwareAccelerated, "AVX-512"),
        new(256, Vector256.IsHardwareAccelerated, "AVX2 or another 256-bit vector unit"),
        new(128, Vector128.IsHardwareAccelerated, "SSE or NEON"),
        new(1, true, "nothing"),
    ];

    /// <summary>One line: the widths the kernel tests ran at, and each one they could not, with what it needs.</summary>
    internal static string Report(IReadOnlyList<WidthSupport> support, IReadOnlyList<int> ran)
    {
        static string Name(int w) => w == 1 ? "scalar" : $"{w}-bit";
        var missing = support.Where(s => !ran.Contains(s.Width)).ToList();
        var line = $"SIMD kernel widths tested: {string.Join(", ", ran.Select(Name))}";
        return missing.Count == 0
            ? line + "; every width covered"
            : line + "; NOT TESTED on this machine: " + string.Join(", ", missing.Select(m => $"{Name(m.Width)} (the CPU or runtime does not accelerate it: needs {m.Needs})"));
    }

    [Fact]
    public void TheWidthsThatRanAndTheOnesThisCpuLacksAreReported()
    {
        var support = ThisMachine();
        // Every width the machine accelerates is tested (none dropped), and none it does not (it would be emulated).
        Assert.Equal(support.Where(s => s.Accelerated).Select(s => s.Width), KernelTestData.Widths);
        Assert.Equal(KernelTestData.Widths, ((IEnumerable<object[]>)GemmTests.Widths()).Select(row => (int)row[0]));
        Assert.Contains(128, KernelTestData.Widths);
        Assert.Contains(1, KernelTestData.Widths);
        // The runtime itself picks the widest of them when nothing is forced.
        Assert.Equal(KernelTestData.Widths[0], SimdWidth.Current);

        var line = Report(support, KernelTestData.Widths);
        output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("DESTINYDSL_TEST_REPORTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "kernel-widths.txt"), line + Environment.NewLine);
        }
    }

    [Fact]
    public void AMachineWithoutAvx512IsReportedAsNotTestingThe512BitKernels()
    {
        var without512 = new WidthSupport[] { new(512, false, "AVX-512"), new(256, true, "AVX2"), new(128, true, "SSE"), new(1, true, "nothing") };
        var line = Report(without512, [256, 128, 1]);
        Assert.Equal("SIMD kernel widths tested: 256-bit, 128-bit, scalar; NOT TESTED on this machine: 512-bit (the CPU or runtime does not accelerate it: needs AVX-512)", line);
        var full = Report(without512.Select(s => s with { Accelerated = true }).ToArray(), [512, 256, 128, 1]);
        Assert.Equal("SIMD kernel widths tested: 512-bit, 256-bit, 128-bit, scalar; every width covered", full);
    }
}
