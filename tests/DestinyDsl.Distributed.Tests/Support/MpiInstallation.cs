namespace DestinyDsl.Distributed.Tests.Support;

/// <summary>The two MPI flavours the tests launch, and whether this machine has them.</summary>
public enum Flavour { OpenMpi, Mpich }

/// <summary>
/// Finds mpirun.openmpi / mpirun.mpich and decides whether a missing one skips the MPI tests (a developer machine)
/// or fails them (<c>CI=true</c>: CI must run them for real).
/// </summary>
public static class MpiInstallation
{
    /// <summary>True under CI: <c>CI</c> set to <c>true</c>, <c>1</c> or <c>yes</c> (the spellings CI systems use).</summary>
    public static bool RequiredByCi => Environment.GetEnvironmentVariable("CI")?.Trim().ToLowerInvariant() is "true" or "1" or "yes";

    public static string LauncherName(Flavour flavour) => flavour == Flavour.OpenMpi ? "mpirun.openmpi" : "mpirun.mpich";

    public static string Package(Flavour flavour) => flavour == Flavour.OpenMpi ? "openmpi-bin libopenmpi-dev" : "mpich";

    public static string? Launcher(Flavour flavour) => FindOnPath(LauncherName(flavour));

    public static bool IsInstalled(Flavour flavour) => Launcher(flavour) is not null;

    /// <summary>Null when the flavours are installed (or CI requires the test to run and fail); otherwise why the test is skipped.</summary>
    public static string? SkipReason(IEnumerable<Flavour> flavours)
    {
        var missing = flavours.Where(f => !IsInstalled(f)).ToArray();
        if (missing.Length == 0 || RequiredByCi) return null;
        return $"{string.Join(" and ", missing.Select(LauncherName))} not installed (apt-get install {string.Join(' ', missing.Select(Package))}); "
               + "with CI=true (or 1) this test fails instead of skipping";
    }

    private static string? FindOnPath(string program)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, program);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}

/// <summary>A fact that needs the given MPI flavours: skipped when they are missing, unless <c>CI=true</c>.</summary>
public sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute(params Flavour[] flavours) => Skip = MpiInstallation.SkipReason(flavours);
}

/// <summary>A theory that needs the given MPI flavours: skipped when they are missing, unless <c>CI=true</c>.</summary>
public sealed class MpiTheoryAttribute : TheoryAttribute
{
    public MpiTheoryAttribute(params Flavour[] flavours) => Skip = MpiInstallation.SkipReason(flavours);
}
