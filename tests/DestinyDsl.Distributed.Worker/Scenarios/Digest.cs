using System.Runtime.InteropServices;

namespace DestinyDsl.Distributed.Worker.Scenarios;

/// <summary>FNV-1a over the bytes of a result: one short, exact fingerprint per collective for comparing transports.</summary>
public static class Digest
{
    public static string Of<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in MemoryMarshal.AsBytes(values))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return hash.ToString("x16");
    }
}
