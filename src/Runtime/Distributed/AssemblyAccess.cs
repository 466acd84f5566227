using System.Runtime.CompilerServices;

// The distributed tests check internals (launcher detection, library choice, the in-process barrier) directly, and
// the worker that the tests launch under mpirun provokes MPI errors through the internal binding.
[assembly: InternalsVisibleTo("DestinyDsl.Distributed.Tests")]
[assembly: InternalsVisibleTo("DestinyDsl.Distributed.Worker")]
