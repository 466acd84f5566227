namespace DestinyDsl.Runtime.Interop.Mpi;

/// <summary>
/// Open MPI's ABI (<c>libmpi.so.40</c>, Open MPI 4.x and 5.x): <c>MPI_Comm</c>, <c>MPI_Datatype</c>, <c>MPI_Op</c> and
/// <c>MPI_Errhandler</c> are pointers, and the predefined handles are the addresses of exported globals
/// (<c>#define MPI_COMM_WORLD OMPI_PREDEFINED_GLOBAL(MPI_Comm, ompi_mpi_comm_world)</c> in mpi.h), so they are
/// looked up with <c>dlsym</c> instead of being compiled in. <c>MPI_IN_PLACE</c> is <c>(void*)1</c>.
/// </summary>
internal sealed unsafe class OpenMpiAbi : MpiApi
{
    private readonly delegate* unmanaged<int*, byte***, int, int*, int> _initThread;
    private readonly delegate* unmanaged<int*, int> _initialized;
    private readonly delegate* unmanaged<int*, int> _finalized;
    private readonly delegate* unmanaged<int> _finalize;
    private readonly delegate* unmanaged<nint, int, int> _abort;
    private readonly delegate* unmanaged<int*, int> _queryThread;
    private readonly delegate* unmanaged<byte*, int*, int> _getLibraryVersion;
    private readonly delegate* unmanaged<int, byte*, int*, int> _errorString;
    private readonly delegate* unmanaged<nint, nint, int> _commSetErrhandler;
    private readonly delegate* unmanaged<nint, int*, int> _commSize;
    private readonly delegate* unmanaged<nint, int*, int> _commRank;
    private readonly delegate* unmanaged<nint, nint*, int> _commDup;
    private readonly delegate* unmanaged<nint, int, int, nint*, int> _commSplit;
    private readonly delegate* unmanaged<nint*, int> _commFree;
    private readonly delegate* unmanaged<nint, int> _barrier;
    private readonly delegate* unmanaged<void*, int, nint, int, nint, int> _bcast;
    private readonly delegate* unmanaged<void*, void*, int, nint, nint, nint, int> _allreduce;
    private readonly delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, nint, int> _allgatherv;
    private readonly delegate* unmanaged<void*, void*, int*, nint, nint, nint, int> _reduceScatter;
    private readonly delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, int, nint, int> _gatherv;
    private readonly delegate* unmanaged<void*, int*, int*, nint, void*, int, nint, int, nint, int> _scatterv;

    private readonly delegate* unmanaged<void*, int, nint, int, int, nint, int> _send;
    private readonly delegate* unmanaged<void*, int, nint, int, int, nint, byte*, int> _recv;
    private readonly delegate* unmanaged<int, int, nint, int*, byte*, int> _iprobe;
    private readonly delegate* unmanaged<byte*, nint, int*, int> _getCount;

    public OpenMpiAbi(nint library, string libraryFile) : base(library, libraryFile)
    {
        CommWorld = Export("ompi_mpi_comm_world");
        CommNull = Export("ompi_mpi_comm_null");
        Float = Export("ompi_mpi_float");
        Double = Export("ompi_mpi_double");
        Byte = Export("ompi_mpi_byte");
        OpSum = Export("ompi_mpi_op_sum");
        OpMax = Export("ompi_mpi_op_max");
        ErrorsReturn = Export("ompi_mpi_errors_return");
        InPlace = (void*)1;
        AnySource = -1;

        _initThread = (delegate* unmanaged<int*, byte***, int, int*, int>)Export("MPI_Init_thread");
        _initialized = (delegate* unmanaged<int*, int>)Export("MPI_Initialized");
        _finalized = (delegate* unmanaged<int*, int>)Export("MPI_Finalized");
        _finalize = (delegate* unmanaged<int>)Export("MPI_Finalize");
        _abort = (delegate* unmanaged<nint, int, int>)Export("MPI_Abort");
        _queryThread = (delegate* unmanaged<int*, int>)Export("MPI_Query_thread");
        _getLibraryVersion = (delegate* unmanaged<byte*, int*, int>)Export("MPI_Get_library_version");
        _errorString = (delegate* unmanaged<int, byte*, int*, int>)Export("MPI_Error_string");
        _commSetErrhandler = (delegate* unmanaged<nint, nint, int>)Export("MPI_Comm_set_errhandler");
        _commSize = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_size");
        _commRank = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_rank");
        _commDup = (delegate* unmanaged<nint, nint*, int>)Export("MPI_Comm_dup");
        _commSplit = (delegate* unmanaged<nint, int, int, nint*, int>)Export("MPI_Comm_split");
        _commFree = (delegate* unmanaged<nint*, int>)Export("MPI_Comm_free");
        _barrier = (delegate* unmanaged<nint, int>)Export("MPI_Barrier");
        _bcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)Export("MPI_Bcast");
        _allreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)Export("MPI_Allreduce");
        _allgatherv = (delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, nint, int>)Export("MPI_Allgatherv");
        _reduceScatter = (delegate* unmanaged<void*, void*, int*, nint, nint, nint, int>)Export("MPI_Reduce_scatter");
        _gatherv = (delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, int, nint, int>)Export("MPI_Gatherv");
        _scatterv = (delegate* unmanaged<void*, int*, int*, nint, void*, int, nint, int, nint, int>)Export("MPI_Scatterv");

        _send = (delegate* unmanaged<void*, int, nint, int, int, nint, int>)Export("MPI_Send");
        _recv = (delegate* unmanaged<void*, int, nint, int, int, nint, byte*, int>)Export("MPI_Recv");
        _iprobe = (delegate* unmanaged<int, int, nint, int*, byte*, int>)Export("MPI_Iprobe");
        _getCount = (delegate* unmanaged<byte*, nint, int*, int>)Export("MPI_Get_count");
    }

    public override MpiFlavour Flavour => MpiFlavour.OpenMpi;

    public override int InitThread(int required, int* provided) => _initThread(null, null, required, provided);
    public override int Initialized(int* flag) => _initialized(flag);
    public override int Finalized(int* flag) => _finalized(flag);
    public override int Finalize() => _finalize();
    public override int Abort(nint comm, int errorCode) => _abort(comm, errorCode);
    public override int QueryThread(int* provided) => _queryThread(provided);
    public override int GetLibraryVersion(byte* version, int* length) => _getLibraryVersion(version, length);
    public override int ErrorString(int errorCode, byte* text, int* length) => _errorString(errorCode, text, length);
    public override int CommSetErrhandler(nint comm, nint errhandler) => _commSetErrhandler(comm, errhandler);
    public override int CommSize(nint comm, int* size) => _commSize(comm, size);
    public override int CommRank(nint comm, int* rank) => _commRank(comm, rank);
    public override int CommDup(nint comm, nint* newComm) => _commDup(comm, newComm);
    public override int CommSplit(nint comm, int color, int key, nint* newComm) => _commSplit(comm, color, key, newComm);
    public override int CommFree(nint* comm) => _commFree(comm);
    public override int Barrier(nint comm) => _barrier(comm);
    public override int Bcast(void* buffer, int count, nint datatype, int root, nint comm) => _bcast(buffer, count, datatype, root, comm);

    public override int Allreduce(void* send, void* receive, int count, nint datatype, nint op, nint comm)
        => _allreduce(send, receive, count, datatype, op, comm);

    public override int Allgatherv(void* send, int sendCount, nint sendType, void* receive, int* receiveCounts, int* displacements, nint receiveType, nint comm)
        => _allgatherv(send, sendCount, sendType, receive, receiveCounts, displacements, receiveType, comm);

    public override int ReduceScatter(void* send, void* receive, int* receiveCounts, nint datatype, nint op, nint comm)
        => _reduceScatter(send, receive, receiveCounts, datatype, op, comm);

    public override int Gatherv(void* send, int sendCount, nint sendType, void* receive, int* receiveCounts, int* displacements, nint receiveType, int root, nint comm)
        => _gatherv(send, sendCount, sendType, receive, receiveCounts, displacements, receiveType, root, comm);

    public override int Scatterv(void* send, int* sendCounts, int* displacements, nint sendType, void* receive, int receiveCount, nint receiveType, int root, nint comm)
        => _scatterv(send, sendCounts, displacements, sendType, receive, receiveCount, receiveType, root, comm);

    public override int Send(void* buffer, int count, nint datatype, int destination, int tag, nint comm)
        => _send(buffer, count, datatype, destination, tag, comm);

    public override int Recv(void* buffer, int count, nint datatype, int source, int tag, nint comm, byte* status)
        => _recv(buffer, count, datatype, source, tag, comm, status);

    public override int Iprobe(int source, int tag, nint comm, int* flag, byte* status) => _iprobe(source, tag, comm, flag, status);
    public override int GetCount(byte* status, nint datatype, int* count) => _getCount(status, datatype, count);

    // struct ompi_status_public_t { int MPI_SOURCE; int MPI_TAG; int MPI_ERROR; int _cancelled; size_t _ucount; }
    public override int StatusSource(byte* status) => ((int*)status)[0];
    public override int StatusTag(byte* status) => ((int*)status)[1];
}
