namespace DestinyDsl.Runtime.Kernels.Threading;

/// <summary>
/// The body of a <see cref="KernelPool.For{TWork}"/> loop: a struct (so the JIT specialises the loop over it) that
/// runs one work item. Items run concurrently on several threads, each exactly once, in no particular order.
/// </summary>
internal interface IParallelWork
{
    /// <summary>Runs work item <paramref name="item"/> (0-based, below the loop's item count).</summary>
    void Run(int item);
}
