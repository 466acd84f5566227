namespace DestinyDsl.Runtime.Data.IO;

/// <summary>
/// The loaders' rule for blank lines: blank lines at the end of a file are harmless (editors add them), but a
/// blank line followed by more data means the file was cut or concatenated wrongly, so it is reported at the
/// blank line rather than silently skipped.
/// </summary>
internal struct BlankLineGuard
{
    private long? _firstBlank;

    /// <summary>Records a blank line.</summary>
    public void Blank(long line) => _firstBlank ??= line;

    /// <summary>Called before each data line; throws when a blank line came before it.</summary>
    public readonly void Data(string path)
    {
        if (_firstBlank is { } blank)
        {
            throw new DataFormatException(path, blank, "blank line inside the data (only blank lines at the end of the file are allowed)");
        }
    }
}
