namespace DestinyDsl.Runtime.Checkpoints.Safetensors;

/// <summary>
/// Element types of the safetensors format. The member order is the reference implementation's alignment order
/// (smallest first); the writer sorts tensors by it, largest first, so that every tensor's data starts at a
/// multiple of its element size.
/// </summary>
public enum SafetensorsDtype
{
    /// <summary>"BOOL": one byte, 0 or 1.</summary>
    Bool,

    /// <summary>"U8".</summary>
    U8,

    /// <summary>"I8".</summary>
    I8,

    /// <summary>"F8_E5M2": 8-bit float (raw bytes only).</summary>
    F8E5M2,

    /// <summary>"F8_E4M3": 8-bit float (raw bytes only).</summary>
    F8E4M3,

    /// <summary>"I16".</summary>
    I16,

    /// <summary>"U16".</summary>
    U16,

    /// <summary>"F16": IEEE half (<see cref="Half"/>).</summary>
    F16,

    /// <summary>"BF16": bfloat16 (raw bytes only).</summary>
    BF16,

    /// <summary>"I32".</summary>
    I32,

    /// <summary>"U32".</summary>
    U32,

    /// <summary>"F32".</summary>
    F32,

    /// <summary>"F64".</summary>
    F64,

    /// <summary>"I64".</summary>
    I64,

    /// <summary>"U64".</summary>
    U64,
}

/// <summary>Sizes and names of <see cref="SafetensorsDtype"/> values as the file format spells them.</summary>
public static class SafetensorsDtypes
{
    private static readonly string[] Names = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"];
    private static readonly int[] Sizes = [1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 8, 8, 8];

    /// <summary>Bytes per element.</summary>
    public static int Size(this SafetensorsDtype dtype) => Sizes[Index(dtype)];

    /// <summary>The name in the header ("F32", "BF16", "F8_E5M2", …).</summary>
    public static string FileName(this SafetensorsDtype dtype) => Names[Index(dtype)];

    /// <summary>Parses a header dtype name (exact, case-sensitive, as the reference reader).</summary>
    public static bool TryParse(string name, out SafetensorsDtype dtype)
    {
        var at = Array.IndexOf(Names, name);
        dtype = (SafetensorsDtype)Math.Max(at, 0);
        return at >= 0;
    }

    /// <summary>All names, for error messages.</summary>
    internal static string KnownNames => string.Join(", ", Names);

    private static int Index(SafetensorsDtype dtype)
        => (uint)dtype < (uint)Names.Length ? (int)dtype : throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown safetensors dtype.");
}
