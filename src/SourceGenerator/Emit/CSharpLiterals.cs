using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace DestinyDsl.SourceGenerator.Emit;

/// <summary>C# spellings of values: literals that round-trip, escaped strings, escaped XML doc text.</summary>
internal static class CSharpLiterals
{
    /// <summary>A float literal that round-trips the value rounded to float (<c>0.025f</c>, <c>1E-08f</c>).</summary>
    public static string Float(double value)
    {
        var f = (float)value;
        if (float.IsNaN(f)) return "float.NaN";
        if (float.IsPositiveInfinity(f)) return "float.PositiveInfinity";
        if (float.IsNegativeInfinity(f)) return "float.NegativeInfinity";
        return f.ToString("R", CultureInfo.InvariantCulture) + "f";
    }

    /// <summary>A double literal that round-trips (<c>0.025</c>, <c>1E-07</c>, <c>256</c>).</summary>
    public static string Double(double value)
    {
        if (double.IsNaN(value)) return "double.NaN";
        if (double.IsPositiveInfinity(value)) return "double.PositiveInfinity";
        if (double.IsNegativeInfinity(value)) return "double.NegativeInfinity";
        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>A value as a person reads it in the .dnet file (shortest round-trip form, invariant culture).</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>An int literal.</summary>
    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A ulong literal.</summary>
    public static string ULong(ulong value) => value.ToString(CultureInfo.InvariantCulture) + "UL";

    /// <summary>A bool literal.</summary>
    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>A quoted, escaped C# string literal.</summary>
    public static string String(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary>Escapes text for an XML doc comment (and keeps it on one line).</summary>
    public static string XmlEscape(string text) => text
        .Replace("&", "&amp;")
        .Replace("<", "&lt;")
        .Replace(">", "&gt;")
        .Replace("\r", " ")
        .Replace("\n", " ");

    /// <summary>
    /// A <c>#line</c> file name, or null when the path cannot be written in one (the directive has no escapes:
    /// a quote or line break in the path would end it).
    /// </summary>
    public static string? LineDirectivePath(string path) =>
        path.IndexOfAny(new[] { '"', '\r', '\n' }) >= 0 ? null : "\"" + path + "\"";

    /// <summary>Converts a whole number held in a double to int, or explains why it is not one.</summary>
    public static int ToInt32(double value, string what)
    {
        if (value != Math.Floor(value) || value < int.MinValue || value > int.MaxValue)
            throw new InvalidOperationException($"{what} = {Number(value)} is not a 32-bit integer.");
        return (int)value;
    }
}
