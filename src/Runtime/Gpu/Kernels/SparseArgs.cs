using ILGPU;

namespace DestinyDsl.Runtime.Gpu.Kernels;

/// <summary>
/// A CSR matrix on the device as a kernel argument: row <c>r</c>'s entries are <c>[Offsets[r], Offsets[r + 1])</c>
/// of <see cref="Columns"/> (ascending) and <see cref="Values"/>; <see cref="HasValues"/> 0 means every value is 1
/// (binary data, the values array is not read).
/// </summary>
public readonly struct SparseArgs
{
    /// <summary>Row offsets (rows + 1).</summary>
    public readonly ArrayView<int> Offsets;

    /// <summary>Column ids, ascending within a row.</summary>
    public readonly ArrayView<int> Columns;

    /// <summary>Values (read only when <see cref="HasValues"/> is 1).</summary>
    public readonly ArrayView<float> Values;

    /// <summary>1 when <see cref="Values"/> holds the values, 0 when every value is 1.</summary>
    public readonly int HasValues;

    /// <summary>Wraps device arrays.</summary>
    public SparseArgs(ArrayView<int> offsets, ArrayView<int> columns, ArrayView<float> values, bool hasValues)
    {
        Offsets = offsets;
        Columns = columns;
        Values = values;
        HasValues = hasValues ? 1 : 0;
    }

    /// <summary>The value of entry <paramref name="k"/>.</summary>
    public float ValueAt(int k) => HasValues != 0 ? Values[k] : 1f;
}
