namespace DestinyDsl.Runtime.Interop.Mpi;

/// <summary>
/// MPICH's ABI (<c>libmpich.so.12</c>; shared by Intel MPI, MVAPICH and Cray MPICH): every handle is a 32-bit
/// <c>int</c> with fixed values from mpich's mpi.h (<c>MPI_COMM_WORLD = 0x44000000</c>, <c>MPI_FLOAT = 0x4c00040a</c>,
/// <c>MPI_SUM = 0x58000003</c>, …), and <c>MPI_IN_PLACE</c> is <c>(void*)-1</c>. The function pointers are declared
/// with <c>int</c> handle parameters and the runtime's <see cref="nint"/> handles are narrowed at each call.
/// </summary>
internal sealed unsafe class MpichAbi : MpiApi
{
    // Values from /usr/include/x86_64-linux-gnu/mpich/mpi.h (MPICH 4.0.2); they are part of MPICH's stable ABI.
    private const int MpiCommWorld = 0x44000000;
    private const int MpiCommNull = 0x04000000;
    private const int MpiFloat = 0x4c00040a;
    private const int MpiDouble = 0x4c00080b;
    private const int MpiByte = 0x4c00010d;
    private const int MpiSum = 0x58000003;
    private const int MpiMax = 0x58000001;
    private const int MpiErrorsReturn = 0x54000001;
    private const int MpiAnySource = -2;

    private readonly delegate* unmanaged<int*, byte***, int, int*, int> _initThread;
    private readonly delegate* unmanaged<int*, int> _initialized;
    private readonly delegate* unmanaged<int*, int> _finalized;
    private readonly delegate* unmanaged<int> _finalize;
    private readonly delegate* unmanaged<int, int, int> _abort;
    private readonly delegate* unmanaged<int*, int> _queryThread;
    private readonly delegate* unmanaged<byte*, int*, int> _getLibraryVersion;
    private readonly delegate* unmanaged<int, byte*, int*, int> _errorString;
    private readonly delegate* unmanaged<int, int, int> _commSetErrhandler;
    private readonly delegate* unmanaged<int, int*, int> _commSize;
    private readonly delegate* unmanaged<int, int*, int> _commRank;
    private readonly delegate* unmanaged<int, int*, int> _commDup;
    private readonly delegate* unmanaged<int, int, int, int*, int> _commSplit;
    private readonly delegate* unmanaged<int*, int> _commFree;
    private readonly delegate* unmanaged<int, int> _barrier;
    private readonly delegate* unmanaged<void*, int, int, int, int, int> _bcast;
    private readonly delegate* unmanaged<void*, void*, int, int, int, int, int> _allreduce;
    private readonly delegate* unmanaged<void*, int, int, void*, int*, int*, int, int, int> _allgatherv;
    private readonly delegate* unmanaged<void*, void*, int*, int, int, int, int> _reduceScatter;
    private readonly delegate* unmanaged<void*, int, int, void*, int*, int*, int, int, int, int> _gatherv;
    private readonly delegate* unmanaged<void*, int*, int*, int, void*, int, int, int, int, int> _scatterv;

    private readonly delegate* unmanaged<void*, int, int, int, int, int, int> _send;
    private readonly delegate* unmanaged<void*, int, int, int, int, int, byte*, int> _recv;
    private readonly delegate* unmanaged<int, int, int, int*, byte*, int> _iprobe;
    private readonly delegate* unmanaged<byte*, int, int*, int> _getCount;

    public MpichAbi(nint library, string libraryFile) : base(library, libraryFile)
    {
        CommWorld = MpiCommWorld;
        CommNull = MpiCommNull;
        Float = MpiFloat;
        Double = MpiDouble;
        Byte = MpiByte;
        OpSum = MpiSum;
        OpMax = MpiMax;
        ErrorsReturn = MpiErrorsReturn;
        InPlace = (void*)-1;
        AnySource = MpiAnySource;

        _initThread = (delegate* unmanaged<int*, byte***, int, int*, int>)Export("MPI_Init_thread");
        _initialized = (delegate* unmanaged<int*, int>)Export("MPI_Initialized");
        _finalized = (delegate* unmanaged<int*, int>)Export("MPI_Finalized");
        _finalize = (delegate* unmanaged<int>)Export("MPI_Finalize");
        _abort = (delegate* unmanaged<int, int, int>)Export("MPI_Abort");
        _queryThread = (delegate* unmanaged<int*, int>)Export("MPI_Query_thread");
        _getLibraryVersion = (delegate* unmanaged<byte*, int*, int>)Export("MPI_Get_library_version");
        _errorString = (delegate* unmanaged<int, byte*, int*, int>)Export("MPI_Error_string");
        _commSetErrhandler = (delegate* unmanaged<int, int, int>)Export("MPI_Comm_set_errhandler");
        _commSize = (delegate* unmanaged<int, int*, int>)Export("MPI_Comm_size");
        _commRank = (delegate* unmanaged<int, int*, int>)Export("MPI_Comm_rank");
        _commDup = (delegate* unmanaged<int, int*, int>)Export("MPI_Comm_dup");
        _commSplit = (delegate* unmanaged<int, int, int, int*, int>)Export("MPI_Comm_split");
        _commFree = (delegate* unmanaged<int*, int>)Export("MPI_Comm_free");
        _barrier = (delegate* unmanaged<int, int>)Export("MPI_Barrier");
        _bcast = (delegate* unmanaged<void*, int, int, int, int, int>)Export("MPI_Bcast");
        _allreduce = (delegate* unmanaged<void*, void*, int, int, int, int, int>)Export("MPI_Allreduce");
        _allgatherv = (delegate* unmanaged<void*, int, int, void*, int*, int*, int, int, int>)Export("MPI_Allgatherv");
        _reduceScatter = (delegate* unmanaged<void*, void*, int*, int, int, int, int>)Export("MPI_Reduce_scatter");
        _gatherv = (delegate* unmanaged<void*, int, int, void*, int*, int*, int, int, int, int>)Export("MPI_Gatherv");
        _scatterv = (delegate* unmanaged<void*, int*, int*, int, void*, int, int, int, int, int>)Export("MPI_Scatterv");

        _send = (delegate* unmanaged<void*, int, int, int, int, int, int>)Export("MPI_Send");
        _recv = (delegate* unmanaged<void*, int, int, int, int, int, byte*, int>)Export("MPI_Recv");
        _iprobe = (delegate* unmanaged<int, int, int, int*, byte*, int>)Export("MPI_Iprobe");
        _getCount = (delegate* unmanaged<byte*, int, int*, int>)Export("MPI_Get_count");
    }

    public override MpiFlavour Flavour => MpiFlavour.Mpich;

    public override int InitThread(int required, int* provided) => _initThread(null, null, required, provided);
    public override int Initialized(int* flag) => _initialized(flag);
    public override int Finalized(int* flag) => _finalized(flag);
    public override int Finalize() => _finalize();
    public override int Abort(nint comm, int errorCode) => _abort(Narrow(comm), errorCode);
    public override int QueryThread(int* provided) => _queryThread(provided);
    public override int GetLibraryVersion(byte* version, int* length) => _getLibraryVersion(version, length);
    public override int ErrorString(int errorCode, byte* text, int* length) => _errorString(errorCode, text, length);
    public override int CommSetErrhandler(nint comm, nint errhandler) => _commSetErrhandler(Narrow(comm), Narrow(errhandler));
    public override int CommSize(nint comm, int* size) => _commSize(Narrow(comm), size);
    public override int CommRank(nint comm, int* rank) => _commRank(Narrow(comm), rank);

    public override int CommDup(nint comm, nint* newComm)
    {
        int handle = MpiCommNull;
        int code = _commDup(Narrow(comm), &handle);
        *newComm = handle;
        return code;
    }

    public override int CommSplit(nint comm, int color, int key, nint* newComm)
    {
        int handle = MpiCommNull;
        int code = _commSplit(Narrow(comm), color, key, &handle);
        *newComm = handle;
        return code;
    }

    public override int CommFree(nint* comm)
    {
        int handle = Narrow(*comm);
        int code = _commFree(&handle);
        *comm = handle;
        return code;
    }

    public override int Barrier(nint comm) => _barrier(Narrow(comm));
    public override int Bcast(void* buffer, int count, nint datatype, int root, nint comm) => _bcast(buffer, count, Narrow(datatype), root, Narrow(comm));

    public override int Allreduce(void* send, void* receive, int count, nint datatype, nint op, nint comm)
        => _allreduce(send, receive, count, Narrow(datatype), Narrow(op), Narrow(comm));

    public override int Allgatherv(void* send, int sendCount, nint sendType, void* receive, int* receiveCounts, int* displacements, nint receiveType, nint comm)
        => _allgatherv(send, sendCount, Narrow(sendType), receive, receiveCounts, displacements, Narrow(receiveType), Narrow(comm));

    public override int ReduceScatter(void* send, void* receive, int* receiveCounts, nint datatype, nint op, nint comm)
        => _reduceScatter(send, receive, receiveCounts, Narrow(datatype), Narrow(op), Narrow(comm));

    public override int Gatherv(void* send, int sendCount, nint sendType, void* receive, int* receiveCounts, int* displacements, nint receiveType, int root, nint comm)
        => _gatherv(send, sendCount, Narrow(sendType), receive, receiveCounts, displacements, Narrow(receiveType), root, Narrow(comm));

    public override int Scatterv(void* send, int* sendCounts, int* displacements, nint sendType, void* receive, int receiveCount, nint receiveType, int root, nint comm)
        => _scatterv(send, sendCounts, displacements, Narrow(sendType), receive, receiveCount, Narrow(receiveType), root, Narrow(comm));

    public override int Send(void* buffer, int count, nint datatype, int destination, int tag, nint comm)
        => _send(buffer, count, Narrow(datatype), destination, tag, Narrow(comm));

    public override int Recv(void* buffer, int count, nint datatype, int source, int tag, nint comm, byte* status)
        => _recv(buffer, count, Narrow(datatype), source, tag, Narrow(comm), status);

    public override int Iprobe(int source, int tag, nint comm, int* flag, byte* status) => _iprobe(source, tag, Narrow(comm), flag, status);
    public override int GetCount(byte* status, nint datatype, int* count) => _getCount(status, Narrow(datatype), count);

    // typedef struct MPI_Status { int count_lo; int count_hi_and_cancelled; int MPI_SOURCE; int MPI_TAG; int MPI_ERROR; }
    public override int StatusSource(byte* status) => ((int*)status)[2];
    public override int StatusTag(byte* status) => ((int*)status)[3];

    // MPICH handles are 32-bit; they were widened to nint when stored, so narrowing is exact.
    private static int Narrow(nint handle) => checked((int)handle);
}
