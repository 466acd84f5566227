using ILGPU;

namespace DestinyDsl.Runtime.Gpu.Kernels.Library;

/// <summary>Host-side argument checks before a launch: a device kernel reading past a view fails silently or later.</summary>
internal static class ViewChecks
{
    /// <summary>Throws unless <paramref name="value"/> ≥ 0.</summary>
    public static void NonNegative(int value, string name)
    {
        if (value < 0) throw new ArgumentOutOfRangeException(name, $"{name} is {value}; sizes must not be negative.");
    }

    /// <summary>Throws unless <paramref name="view"/> holds at least <paramref name="needed"/> elements.</summary>
    public static void Holds<T>(ArrayView<T> view, long needed, string name)
        where T : unmanaged
    {
        if (view.Length < needed) throw new ArgumentException($"{name} holds {view.Length} elements, {needed} needed.", name);
    }

    /// <summary>rows·n as a 32-bit element count (device indices are 32-bit).</summary>
    public static int Count(int rows, int n, string what)
    {
        NonNegative(rows, "rows");
        NonNegative(n, what);
        var count = (long)rows * n;
        if (count > int.MaxValue) throw new ArgumentOutOfRangeException(what, $"{rows}×{n} elements exceed the kernels' 32-bit indices.");
        return (int)count;
    }
}
