namespace DestinyDsl.Runtime.Interop.Mpi;

/// <summary>The two MPI ABIs the runtime binds: they differ in library name and in how handles are represented.</summary>
internal enum MpiFlavour
{
    /// <summary>Open MPI (<c>libmpi.so.40</c>): handles are addresses of exported globals such as <c>ompi_mpi_comm_world</c>.</summary>
    OpenMpi,

    /// <summary>MPICH and its ABI relatives (<c>libmpich.so.12</c>; Intel MPI, MVAPICH, Cray MPICH): handles are 32-bit integers.</summary>
    Mpich,
}

internal static class MpiFlavourNames
{
    public static string Display(this MpiFlavour flavour) => flavour == MpiFlavour.OpenMpi ? "Open MPI" : "MPICH";

    /// <summary>The value of <c>DESTINYDSL_MPI</c> that selects this flavour.</summary>
    public static string Setting(this MpiFlavour flavour) => flavour == MpiFlavour.OpenMpi ? "openmpi" : "mpich";

    public static string DefaultLibrary(this MpiFlavour flavour) => flavour == MpiFlavour.OpenMpi ? "libmpi.so.40" : "libmpich.so.12";

    public static string DebianPackage(this MpiFlavour flavour) => flavour == MpiFlavour.OpenMpi ? "openmpi-bin" : "mpich";
}
