namespace DestinyDsl.Distributed.Tests.Support;

/// <summary>
/// Synchronising on what a thread is doing instead of on sleeps: tests wait until a peer thread is blocked (inside a
/// collective's wait), and time bounds are generous hang guards, not promises about speed on a loaded machine.
/// </summary>
public static class Blocking
{
    /// <summary>How long a test waits for something that should happen at once before calling it a hang.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    /// <summary>Waits (hang guard) until <paramref name="thread"/> is blocked in a wait; false if it never is.</summary>
    public static bool WaitUntilBlocked(Thread thread)
        => SpinWait.SpinUntil(() => (thread.ThreadState & ThreadState.WaitSleepJoin) != 0, HangGuard);
}
