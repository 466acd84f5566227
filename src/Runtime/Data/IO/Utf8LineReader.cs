namespace DestinyDsl.Runtime.Data.IO;

/// <summary>
/// Streams a text file line by line as UTF-8 bytes, without a string per line: a 25-million-line ratings file is
/// parsed straight out of one reusable buffer. Accepts LF and CRLF endings, a final line without a newline and a
/// UTF-8 byte-order mark.
/// </summary>
internal sealed class Utf8LineReader : IDisposable
{
    private readonly FileStream _stream;
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _endOfFile;
    private bool _first = true;

    public Utf8LineReader(string path)
    {
        Path = path;
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
    }

    /// <summary>The file being read (as given).</summary>
    public string Path { get; }

    /// <summary>One-based number of the line most recently returned (0 before the first).</summary>
    public long LineNumber { get; private set; }

    /// <summary>Returns the next line without its terminator; the span is valid until the next call.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = TrimCarriageReturn(pending[..newline]);
                _start += newline + 1;
                LineNumber++;
                return true;
            }

            if (_endOfFile)
            {
                if (pending.IsEmpty)
                {
                    line = default;
                    return false;
                }

                line = TrimCarriageReturn(pending);
                _start = _end;
                LineNumber++;
                return true;
            }

            Fill();
        }
    }

    public void Dispose() => _stream.Dispose();

    private static ReadOnlySpan<byte> TrimCarriageReturn(ReadOnlySpan<byte> line)
        => line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    private void Fill()
    {
        // Keep the unfinished line at the front; grow only when one line is longer than the whole buffer.
        var pending = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _start = 0;
            _end = pending;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, checked(_buffer.Length * 2));

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _endOfFile = true;
            return;
        }
        _end += read;

        if (_first)
        {
            _first = false;
            if (_buffer.AsSpan(0, _end).StartsWith("\uFEFF"u8)) _start = 3;
        }
    }
}
