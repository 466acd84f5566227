using System.Globalization;
using System.Text;

namespace DestinyDsl.Runtime.Data.IO;

/// <summary>
/// Parses one field of a text line from UTF-8 bytes and, when it is malformed, says why in words the user can act
/// on ("movie id '12x' is not an integer"). Returns null on success, the reason otherwise.
/// </summary>
internal static class FieldParser
{
    private const int MaxQuotedLength = 40;

    public static string? ParseId(ReadOnlySpan<byte> field, string name, out int value)
    {
        value = 0;
        field = field.Trim(" \t"u8);
        if (field.IsEmpty) return $"{name} is empty";
        if (!long.TryParse(field, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var wide))
        {
            return IsAllDigits(field.TrimStart("-+"u8))
                ? $"{name} {Quote(field)} is out of range (ids are integers in [0, {int.MaxValue}])"
                : $"{name} {Quote(field)} is not an integer";
        }
        if (wide < 0) return $"{name} {wide} is negative (ids are integers in [0, {int.MaxValue}])";
        if (wide > int.MaxValue) return $"{name} {wide} is out of range (ids are integers in [0, {int.MaxValue}])";
        value = (int)wide;
        return null;
    }

    public static string? ParseInteger(ReadOnlySpan<byte> field, string name, out long value)
    {
        value = 0;
        field = field.Trim(" \t"u8);
        if (field.IsEmpty) return $"{name} is empty";
        if (long.TryParse(field, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out value)) return null;
        return IsAllDigits(field.TrimStart("-+"u8))
            ? $"{name} {Quote(field)} is out of range for a 64-bit integer"
            : $"{name} {Quote(field)} is not an integer";
    }

    public static string? ParseFinite(ReadOnlySpan<byte> field, string name, out double value)
    {
        value = 0;
        field = field.Trim(" \t"u8);
        if (field.IsEmpty) return $"{name} is empty";
        if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return $"{name} {Quote(field)} is not a number";
        }
        if (!double.IsFinite(value)) return $"{name} {Quote(field)} is not a finite number";
        return null;
    }

    public static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t"u8).IsEmpty;

    /// <summary>The field as text in quotes for a message, cut short when long.</summary>
    public static string Quote(ReadOnlySpan<byte> field)
    {
        var text = Encoding.UTF8.GetString(field.Length > MaxQuotedLength * 4 ? field[..(MaxQuotedLength * 4)] : field);
        return text.Length > MaxQuotedLength ? $"'{text[..MaxQuotedLength]}…'" : $"'{text}'";
    }

    private static bool IsAllDigits(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty) return false;
        foreach (var b in text)
        {
            if (b is < (byte)'0' or > (byte)'9') return false;
        }
        return true;
    }
}
