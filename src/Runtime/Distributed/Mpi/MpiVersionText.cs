using System.Text.RegularExpressions;
using DestinyDsl.Runtime.Interop.Mpi;

namespace DestinyDsl.Runtime.Distributed.Mpi;

/// <summary>Shortens <c>MPI_Get_library_version</c>'s text to "Open MPI 4.1.4" / "MPICH 4.0.2" for descriptions.</summary>
internal static partial class MpiVersionText
{
    public static string Short(MpiFlavour flavour, string text)
    {
        var openMpi = OpenMpiVersion().Match(text);
        if (openMpi.Success) return $"Open MPI {openMpi.Groups[1].Value}";
        var mpich = MpichVersion().Match(text);
        if (mpich.Success) return $"MPICH {mpich.Groups[1].Value}";
        // Other MPICH-ABI libraries (Intel MPI, MVAPICH, Cray) print their own first line.
        var firstLine = text.Split('\n', 2)[0].Split(',', 2)[0].Trim();
        if (firstLine.Length == 0) return flavour.Display();
        return firstLine.Length <= 60 ? firstLine : firstLine[..60];
    }

    [GeneratedRegex(@"Open MPI v?(\d+(?:\.\d+)*)")]
    private static partial Regex OpenMpiVersion();

    [GeneratedRegex(@"MPICH Version:\s*(\S+)")]
    private static partial Regex MpichVersion();
}
