namespace DestinyDsl.Runtime.Interop.Mpi;

/// <summary>
/// MPI's C API as the runtime uses it, with every handle (communicator, datatype, operation, error handler) carried
/// as <see cref="nint"/> whatever the library's ABI. <see cref="OpenMpiAbi"/> passes them as pointers,
/// <see cref="MpichAbi"/> narrows them to the 32-bit integers MPICH expects, so no call ever relies on a 64-bit value
/// being accepted where C declares <c>int</c>. Methods return MPI's error code; <see cref="Check"/> turns it into
/// an exception naming the call.
/// </summary>
internal abstract unsafe class MpiApi
{
    public const int Success = 0;
    public const int ThreadSingle = 0;
    public const int ThreadFunneled = 1;
    public const int ThreadSerialized = 2;
    public const int ThreadMultiple = 3;

    /// <summary><c>MPI_ANY_TAG</c>: -1 in both ABIs.</summary>
    public const int AnyTag = -1;

    /// <summary>Bytes reserved for an <c>MPI_Status</c>: more than either ABI's struct (Open MPI 24, MPICH 20).</summary>
    public const int StatusSize = 64;

    protected MpiApi(nint library, string libraryFile)
    {
        Library = library;
        LibraryFile = libraryFile;
    }

    /// <summary>The <c>dlopen</c> handle.</summary>
    public nint Library { get; }

    /// <summary>The file that was loaded (e.g. <c>libmpi.so.40</c>).</summary>
    public string LibraryFile { get; }

    public abstract MpiFlavour Flavour { get; }

    public nint CommWorld { get; protected init; }
    public nint CommNull { get; protected init; }
    public nint Float { get; protected init; }
    public nint Double { get; protected init; }
    public nint Byte { get; protected init; }
    public nint OpSum { get; protected init; }
    public nint OpMax { get; protected init; }
    public nint ErrorsReturn { get; protected init; }

    /// <summary><c>MPI_ANY_SOURCE</c>: -1 in Open MPI, -2 in MPICH.</summary>
    public int AnySource { get; protected init; }

    /// <summary>Reads <c>MPI_SOURCE</c> from a status filled by the library (its offset differs between ABIs).</summary>
    public abstract int StatusSource(byte* status);

    /// <summary>Reads <c>MPI_TAG</c> from a status filled by the library.</summary>
    public abstract int StatusTag(byte* status);

    /// <summary><c>MPI_IN_PLACE</c>: <c>(void*)1</c> in Open MPI, <c>(void*)-1</c> in MPICH.</summary>
    public void* InPlace { get; protected init; }

    public abstract int InitThread(int required, int* provided);
    public abstract int Initialized(int* flag);
    public abstract int Finalized(int* flag);
    public abstract int Finalize();
    public abstract int Abort(nint comm, int errorCode);
    public abstract int QueryThread(int* provided);
    public abstract int GetLibraryVersion(byte* version, int* length);
    public abstract int ErrorString(int errorCode, byte* text, int* length);
    public abstract int CommSetErrhandler(nint comm, nint errhandler);
    public abstract int CommSize(nint comm, int* size);
    public abstract int CommRank(nint comm, int* rank);
    public abstract int CommDup(nint comm, nint* newComm);
    public abstract int CommSplit(nint comm, int color, int key, nint* newComm);
    public abstract int CommFree(nint* comm);
    public abstract int Barrier(nint comm);
    public abstract int Bcast(void* buffer, int count, nint datatype, int root, nint comm);
    public abstract int Allreduce(void* send, void* receive, int count, nint datatype, nint op, nint comm);
    public abstract int Allgatherv(void* send, int sendCount, nint sendType, void* receive, int* receiveCounts, int* displacements, nint receiveType, nint comm);
    public abstract int ReduceScatter(void* send, void* receive, int* receiveCounts, nint datatype, nint op, nint comm);
    public abstract int Gatherv(void* send, int sendCount, nint sendType, void* receive, int* receiveCounts, int* displacements, nint receiveType, int root, nint comm);
    public abstract int Scatterv(void* send, int* sendCounts, int* displacements, nint sendType, void* receive, int receiveCount, nint receiveType, int root, nint comm);

    // Point-to-point (the tuning coordinator's messages). Statuses are StatusSize-byte buffers.
    public abstract int Send(void* buffer, int count, nint datatype, int destination, int tag, nint comm);
    public abstract int Recv(void* buffer, int count, nint datatype, int source, int tag, nint comm, byte* status);
    public abstract int Iprobe(int source, int tag, nint comm, int* flag, byte* status);
    public abstract int GetCount(byte* status, nint datatype, int* count);

    /// <summary>Throws <see cref="Runtime.Distributed.MpiException"/> naming <paramref name="call"/> unless <paramref name="code"/> is <c>MPI_SUCCESS</c>.</summary>
    public void Check(int code, string call)
    {
        if (code != Success) throw new Runtime.Distributed.MpiException(call, code, DescribeError(code));
    }

    /// <summary>The library's text for an error code (<c>MPI_Error_string</c>), or a placeholder when even that fails.</summary>
    public string DescribeError(int code)
    {
        var text = stackalloc byte[1024]; // ≥ MPI_MAX_ERROR_STRING of both libraries (256 and 512)
        int length = 0;
        if (ErrorString(code, text, &length) != Success || length <= 0) return "no error text from MPI_Error_string";
        return System.Text.Encoding.UTF8.GetString(text, Math.Min(length, 1024)).TrimEnd('\0', ' ', '\n');
    }

    /// <summary>The library's version text (<c>MPI_Get_library_version</c>; callable before <c>MPI_Init</c>).</summary>
    public string LibraryVersion()
    {
        var text = new byte[8192]; // MPI_MAX_LIBRARY_VERSION_STRING: 256 (Open MPI), 8192 (MPICH)
        int length = 0;
        fixed (byte* p = text) Check(GetLibraryVersion(p, &length), "MPI_Get_library_version");
        return System.Text.Encoding.UTF8.GetString(text, 0, Math.Clamp(length, 0, text.Length)).TrimEnd('\0', ' ', '\n');
    }

    /// <summary>Looks up a function or global the ABI needs, with an error naming the library and the symbol.</summary>
    protected nint Export(string symbol)
    {
        if (System.Runtime.InteropServices.NativeLibrary.TryGetExport(Library, symbol, out var address)) return address;
        throw new EntryPointNotFoundException(
            $"{LibraryFile} does not export '{symbol}', which the {Flavour.Display()} binding needs: the library is not a {Flavour.Display()} MPI-3 library.");
    }
}
