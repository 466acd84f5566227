// MPI jobs oversubscribe this machine's cores and the abort tests bound wall time: run one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
