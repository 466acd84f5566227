using ILGPU.Runtime;

namespace DestinyDsl.Runtime.Gpu.Device;

/// <summary>
/// A device's one stream with a count of completed synchronisations. ILGPU 1.5.3 has no events, so a double buffer
/// knows its previous use has finished when the stream was synchronised after that use was enqueued (every training
/// step reads its loss back, which synchronises); only otherwise does it wait.
/// </summary>
internal sealed class StreamClock(AcceleratorStream stream)
{
    /// <summary>The stream.</summary>
    public AcceleratorStream Stream { get; } = stream;

    /// <summary>Synchronisations completed so far.</summary>
    public long Completed { get; private set; }

    /// <summary>Waits for everything enqueued so far.</summary>
    public void Synchronize()
    {
        Stream.Synchronize();
        Completed++;
    }

    /// <summary>Waits unless a synchronisation completed after <paramref name="enqueuedAt"/> (a value of <see cref="Completed"/> read when the work was enqueued).</summary>
    public void WaitFor(long enqueuedAt)
    {
        if (Completed <= enqueuedAt) Synchronize();
    }
}
