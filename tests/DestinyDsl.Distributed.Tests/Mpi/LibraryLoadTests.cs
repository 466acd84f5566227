using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Distributed.Mpi;
using DestinyDsl.Runtime.Interop.Mpi;

namespace DestinyDsl.Distributed.Tests.Mpi;

/// <summary>The errors when no usable MPI library can be loaded (the loader is replaced so nothing is really opened).</summary>
public class LibraryLoadTests
{
    [Fact]
    public void Without_any_mpi_library_the_error_says_which_libraries_and_what_to_install()
    {
        var opened = new List<string>();
        var error = Assert.Throws<MpiException>(() => MpiLibrary.Load(new MpiLibraryRequest(null, null, "no launcher detected"), Missing(opened)));
        Assert.StartsWith("MPI requested but neither libmpi.so.40 (Open MPI) nor libmpich.so.12 (MPICH) could be loaded: install openmpi-bin or mpich", error.Message);
        Assert.Contains("libmpi.so.40: libmpi.so.40: cannot open shared object file", error.Message);
        Assert.Equal(new[] { "libmpi.so.40", "libmpich.so.12" }, opened);
    }

    [Fact]
    public void When_the_launcher_calls_for_one_library_only_that_one_is_tried_and_named()
    {
        var opened = new List<string>();
        var error = Assert.Throws<MpiException>(() => MpiLibrary.Load(
            new MpiLibraryRequest(MpiFlavour.Mpich, null, "started by mpirun.mpich (PMI_SIZE=2)"), Missing(opened)));
        Assert.Equal(new[] { "libmpich.so.12" }, opened);
        Assert.Contains("MPI requested (started by mpirun.mpich (PMI_SIZE=2)) but libmpich.so.12 (MPICH) could not be loaded", error.Message);
        Assert.Contains("Install mpich, or set DESTINYDSL_MPI_LIBRARY", error.Message);
    }

    [Fact]
    public void An_explicit_library_path_that_does_not_load_is_reported_with_the_variable()
    {
        var error = Assert.Throws<MpiException>(() => MpiLibrary.Load(
            new MpiLibraryRequest(null, "/opt/intel/mpi/libmpi.so.12", "DESTINYDSL_MPI_LIBRARY=/opt/intel/mpi/libmpi.so.12"), Missing([])));
        Assert.StartsWith("MPI requested but DESTINYDSL_MPI_LIBRARY=/opt/intel/mpi/libmpi.so.12 could not be loaded", error.Message);
    }

    [Theory]
    [InlineData("Open MPI v4.1.4, package: Debian OpenMPI, ident: 4.1.4, repo rev: v4.1.4, May 26, 2022", "Open MPI 4.1.4")]
    [InlineData("MPICH Version:\t4.0.2\nMPICH Release date:\tThu Apr  7 12:34:45 CDT 2022\nMPICH Device:\tch4:ucx", "MPICH 4.0.2")]
    [InlineData("Intel(R) MPI Library 2021.6 for Linux* OS\n", "Intel(R) MPI Library 2021.6 for Linux* OS")]
    [InlineData("", "MPICH")]
    public void Library_versions_are_shortened_for_descriptions(string text, string expected)
        => Assert.Equal(expected, MpiVersionText.Short(MpiFlavour.Mpich, text));

    private static MpiLibrary.Opener Missing(List<string> opened) => (string file, out string error) =>
    {
        opened.Add(file);
        error = $"{file}: cannot open shared object file: No such file or directory";
        return 0;
    };
}
