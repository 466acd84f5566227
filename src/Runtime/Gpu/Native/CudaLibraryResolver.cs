namespace DestinyDsl.Runtime.Gpu.Native;

/// <summary>
/// Resolves the CUDA library names ILGPU asks for (<see cref="CudaLibraryNames"/>) by trying each candidate file with
/// a loader, and records every file tried (<see cref="Probes"/>). The loader is a seam: the process-wide instance
/// (<see cref="CudaLibraries"/>) uses the system loader, tests pass a fake.
/// </summary>
internal sealed class CudaLibraryResolver
{
    private readonly NativePlatform _platform;
    private readonly Func<string, IntPtr?> _tryLoad;
    private readonly Lock _gate = new();
    private readonly List<LibraryProbe> _probes = [];
    private readonly Dictionary<CudaLibrary, IntPtr> _resolved = [];

    /// <summary>
    /// <paramref name="tryLoad"/> loads a file by name and returns its handle, or null (or zero) when it cannot.
    /// </summary>
    public CudaLibraryResolver(NativePlatform platform, Func<string, IntPtr?> tryLoad)
    {
        _platform = platform;
        _tryLoad = tryLoad ?? throw new ArgumentNullException(nameof(tryLoad));
    }

    /// <summary>Every file tried so far, in order.</summary>
    public IReadOnlyList<LibraryProbe> Probes
    {
        get
        {
            lock (_gate) return _probes.ToArray();
        }
    }

    /// <summary>
    /// The handle for <paramref name="libraryName"/>, or zero to let .NET's default probing continue (the name is
    /// not ours, or no candidate loaded). Each library is probed once: later requests — cuBLAS is asked for as .12,
    /// then .11, then .10 — get the first answer again, so the probe list stays one entry per file.
    /// </summary>
    public IntPtr Resolve(string libraryName)
    {
        if (CudaLibraryNames.Classify(libraryName) is not { } library) return IntPtr.Zero;
        lock (_gate)
        {
            if (_resolved.TryGetValue(library, out var known)) return known;
            var handle = IntPtr.Zero;
            foreach (var file in CudaLibraryNames.Candidates(library, _platform))
            {
                var loaded = _tryLoad(file) ?? IntPtr.Zero;
                _probes.Add(new LibraryProbe(library, file, loaded != IntPtr.Zero));
                if (loaded != IntPtr.Zero)
                {
                    handle = loaded;
                    break;
                }
            }
            _resolved[library] = handle;
            return handle;
        }
    }
}
