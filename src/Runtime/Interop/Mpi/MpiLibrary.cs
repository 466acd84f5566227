using System.Runtime.InteropServices;
using DestinyDsl.Runtime.Distributed;

namespace DestinyDsl.Runtime.Interop.Mpi;

/// <summary>Which MPI library to load and why (the why goes into every error message).</summary>
/// <param name="Flavour">The ABI to bind, or null to decide from the library (explicit file) or to try both.</param>
/// <param name="File">An explicit library file or path (<c>DESTINYDSL_MPI_LIBRARY</c>), or null for the flavour's default SONAME.</param>
/// <param name="Reason">How the choice was made, e.g. "DESTINYDSL_MPI=mpich" or "started by mpirun.openmpi (OMPI_COMM_WORLD_SIZE=2)".</param>
internal sealed record MpiLibraryRequest(MpiFlavour? Flavour, string? File, string Reason);

/// <summary>
/// Loads Open MPI's or MPICH's shared library at run time (no shim, no build-time headers) and binds the matching
/// ABI. Loading uses <c>dlopen(RTLD_NOW | RTLD_GLOBAL)</c> so MPI's own plugins can resolve libmpi's symbols.
/// </summary>
internal static class MpiLibrary
{
    /// <summary>Opens a library file: the handle, or 0 and the loader's message.</summary>
    public delegate nint Opener(string file, out string error);

    public static MpiApi Load(MpiLibraryRequest request, Opener? open = null)
    {
        open ??= DefaultOpen;
        if (request.File is { } file)
        {
            var handle = open(file, out var error);
            if (handle == 0)
                throw new MpiException($"MPI requested but DESTINYDSL_MPI_LIBRARY={file} could not be loaded: {error}");
            // MPICH-derived libraries (Intel MPI, MVAPICH, Cray) share MPICH's ABI; Open MPI is recognised by its globals.
            var flavour = request.Flavour ?? (NativeLibrary.TryGetExport(handle, "ompi_mpi_comm_world", out _) ? MpiFlavour.OpenMpi : MpiFlavour.Mpich);
            return Bind(flavour, handle, file);
        }

        if (request.Flavour is { } wanted)
        {
            var library = wanted.DefaultLibrary();
            var handle = open(library, out var error);
            if (handle == 0)
                throw new MpiException(
                    $"MPI requested ({request.Reason}) but {library} ({wanted.Display()}) could not be loaded: {error}. "
                    + $"Install {wanted.DebianPackage()}, or set DESTINYDSL_MPI_LIBRARY to the library's path.");
            return Bind(wanted, handle, library);
        }

        // No launcher and nothing forced: any MPI will do for a singleton; prefer Open MPI (the Debian default mpirun).
        var errors = new List<string>();
        foreach (var flavour in new[] { MpiFlavour.OpenMpi, MpiFlavour.Mpich })
        {
            var library = flavour.DefaultLibrary();
            var handle = open(library, out var error);
            if (handle != 0) return Bind(flavour, handle, library);
            errors.Add($"{library}: {error}");
        }
        throw new MpiException(
            "MPI requested but neither libmpi.so.40 (Open MPI) nor libmpich.so.12 (MPICH) could be loaded: install openmpi-bin or mpich "
            + $"(loader: {string.Join("; ", errors)})");
    }

    private static MpiApi Bind(MpiFlavour flavour, nint handle, string file)
    {
        try
        {
            return flavour == MpiFlavour.OpenMpi ? new OpenMpiAbi(handle, file) : new MpichAbi(handle, file);
        }
        catch (EntryPointNotFoundException missing)
        {
            throw new MpiException($"MPI library {file} cannot be bound as {flavour.Display()}: {missing.Message}", missing);
        }
    }

    private static nint DefaultOpen(string file, out string error)
    {
        if (!OperatingSystem.IsLinux())
        {
            error = $"native MPI is supported on Linux only (this is {RuntimeInformation.OSDescription})";
            return 0;
        }
        return Libc.OpenGlobal(file, out error);
    }
}
