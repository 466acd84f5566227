using System.Runtime.InteropServices;

namespace DestinyDsl.Runtime.Interop;

/// <summary>
/// The few glibc calls the runtime needs. Two of them exist because .NET's own APIs do something else on Linux:
/// <c>Environment.SetEnvironmentVariable</c> only changes .NET's private copy of the environment, so native
/// libraries (UCX under MPICH) never see it — <see cref="SetIfUnset"/> calls libc <c>setenv</c>; and
/// <c>NativeLibrary.Load</c> uses <c>RTLD_LOCAL</c>, while MPI plugins expect libmpi's symbols to be global —
/// <see cref="OpenGlobal"/> calls <c>dlopen(RTLD_NOW | RTLD_GLOBAL)</c>.
/// </summary>
internal static unsafe partial class Libc
{
    private const string LibraryName = "libc.so.6";
    private const int RtldNow = 0x2;
    private const int RtldGlobal = 0x100;

    [LibraryImport(LibraryName, EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int NativeSetEnv(string name, string value, int overwrite);

    [LibraryImport(LibraryName, EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint NativeGetEnv(string name);

    /// <summary>Sets <paramref name="name"/> in the native process environment unless it is already set there.</summary>
    /// <returns>True when this call set it; false when it was already set (the existing value is kept).</returns>
    public static bool SetIfUnset(string name, string value)
    {
        if (NativeGetEnv(name) != 0) return false;
        if (NativeSetEnv(name, value, overwrite: 0) != 0)
            throw new InvalidOperationException($"libc setenv(\"{name}\", \"{value}\") failed with errno {Marshal.GetLastPInvokeError()}.");
        return true;
    }

    /// <summary>Reads <paramref name="name"/> from the native process environment (what native libraries see).</summary>
    public static string? Get(string name) => Marshal.PtrToStringUTF8(NativeGetEnv(name));

    /// <summary>
    /// Loads a shared library with <c>RTLD_NOW | RTLD_GLOBAL</c>. Returns the handle (usable with
    /// <see cref="NativeLibrary.GetExport"/>), or 0 with the loader's message in <paramref name="error"/>.
    /// </summary>
    public static nint OpenGlobal(string file, out string error)
    {
        var (open, lastError) = DynamicLoader.Value;
        var dlopen = (delegate* unmanaged<byte*, int, nint>)open;
        var dlerror = (delegate* unmanaged<byte*>)lastError;
        nint handle;
        fixed (byte* name = Utf8(file)) handle = dlopen(name, RtldNow | RtldGlobal);
        error = handle != 0 ? "" : Marshal.PtrToStringUTF8((nint)dlerror()) ?? "dlopen failed with no message";
        return handle;
    }

    // glibc >= 2.34 exports dlopen from libc itself; older ones only from libdl.so.2.
    private static readonly Lazy<(nint Open, nint Error)> DynamicLoader = new(() =>
    {
        foreach (var library in new[] { LibraryName, "libdl.so.2" })
        {
            if (NativeLibrary.TryLoad(library, out var handle)
                && NativeLibrary.TryGetExport(handle, "dlopen", out var open)
                && NativeLibrary.TryGetExport(handle, "dlerror", out var error))
                return (open, error);
        }
        throw new DllNotFoundException("Neither libc.so.6 nor libdl.so.2 exports dlopen/dlerror: native MPI needs glibc on Linux.");
    });

    private static byte[] Utf8(string text)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(text) + 1];
        System.Text.Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
