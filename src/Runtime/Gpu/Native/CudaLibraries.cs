using System.Reflection;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime.Cuda;

namespace DestinyDsl.Runtime.Gpu.Native;

/// <summary>
/// Makes ILGPU find the CUDA libraries real systems have: installs a DllImport resolver on ILGPU's and
/// ILGPU.Algorithms' assemblies that maps the driver name to libcuda.so.1 (then libcuda.so) and any cuBLAS name to
/// libcublas.so.13 … .10, and records every file tried for the error messages. Call <see cref="Install"/> once,
/// before the first ILGPU <see cref="Context"/> is created: .NET consults a resolver only for libraries not yet
/// loaded, and a failed load otherwise only shows as "no CUDA device".
/// </summary>
public static class CudaLibraries
{
    private static readonly CudaLibraryResolver Resolver = new(NativePlatforms.Current, TryLoadFromSystem);
    private static readonly Lock Gate = new();
    private static readonly List<string> NotesList = [];
    private static bool _installed;

    /// <summary>Every library file tried so far, in order, with its outcome.</summary>
    public static IReadOnlyList<LibraryProbe> Probes => Resolver.Probes;

    /// <summary>What <see cref="Install"/> could not do (e.g. another resolver already owns an assembly).</summary>
    public static IReadOnlyList<string> Notes
    {
        get
        {
            lock (Gate) return NotesList.ToArray();
        }
    }

    /// <summary>Installs the resolvers; later calls do nothing.</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (_installed) return;
            _installed = true;
            // On WSL, ILGPU 1.5.3's Cuda() sets its own resolver on its assembly (for /usr/lib/wsl/lib) every time
            // it runs, and a second SetDllImportResolver throws: one set here first would break context creation.
            if (NativePlatforms.IsWsl()) NotesList.Add("WSL: the CUDA driver is left to ILGPU's own resolver (/usr/lib/wsl/lib)");
            else Hook(typeof(Context).Assembly);
            Hook(typeof(CuBlas).Assembly);
        }
    }

    /// <summary>"tried a (loaded), b (not found)" for <paramref name="library"/>, or a note that nothing was tried.</summary>
    public static string Describe(CudaLibrary library)
    {
        var tried = Probes.Where(p => p.Library == library).ToList();
        return tried.Count > 0 ? "tried " + string.Join(", ", tried) : $"no {library} file was tried by DestinyDsl's resolver";
    }

    /// <summary>The exception to throw when ILGPU lists no CUDA device, worded from what was tried.</summary>
    public static GpuUnavailableException NoCudaDevice() => GpuUnavailableException.NoCudaDevice(Probes);

    /// <summary>
    /// Sets <paramref name="resolver"/> on <paramref name="assembly"/>; false when the assembly already has a resolver
    /// (.NET allows one per assembly and throws on a second).
    /// </summary>
    internal static bool TryHook(Assembly assembly, CudaLibraryResolver resolver)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(assembly, (name, _, _) => resolver.Resolve(name));
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void Hook(Assembly assembly)
    {
        if (!TryHook(assembly, Resolver)) NotesList.Add($"{assembly.GetName().Name} already has a DllImport resolver; its CUDA names use that one");
    }

    private static IntPtr? TryLoadFromSystem(string file) => NativeLibrary.TryLoad(file, out var handle) ? handle : null;
}
