using System.Globalization;
using System.Text;

namespace Replica.Staging.Backend.Redis;

/// <summary>
/// Reads RESP2 replies from a stream: simple string → string, error → <see cref="RedisServerException"/> (returned,
/// not thrown: it answers one command, the stream goes on), integer → long, bulk string → string or null, array →
/// object?[] or null. The end of the stream is an <see cref="EndOfStreamException"/>.
/// </summary>
internal sealed class RespReader(Stream stream)
{
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    public async ValueTask<object?> ReadAsync(CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken);
        if (line.Length == 0)
        {
            throw new InvalidDataException("RESP: empty reply line");
        }
        var body = line[1..];
        switch (line[0])
        {
            case '+':
                return body;
            case '-':
                return new RedisServerException(body);
            case ':':
                return long.Parse(body, CultureInfo.InvariantCulture);
            case '$':
                var length = int.Parse(body, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return null;
                }
                await FillAsync(length + 2, cancellationToken);
                var text = Encoding.UTF8.GetString(_buffer, _start, length);
                _start += length + 2;
                return text;
            case '*':
                var count = int.Parse(body, CultureInfo.InvariantCulture);
                if (count < 0)
                {
                    return null;
                }
                var items = new object?[count];
                for (var i = 0; i < count; i++)
                {
                    items[i] = await ReadAsync(cancellationToken);
                }
                return items;
            default:
                throw new InvalidDataException($"RESP: unexpected reply type '{line[0]}'");
        }
    }

    private async ValueTask<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var searched = 0;
        while (true)
        {
            var span = _buffer.AsSpan(_start + searched, _end - _start - searched);
            var newline = span.IndexOf("\r\n"u8);
            if (newline >= 0)
            {
                var line = Encoding.UTF8.GetString(_buffer, _start, searched + newline);
                _start += searched + newline + 2;
                return line;
            }
            searched = Math.Max(0, _end - _start - 1);
            await FillAsync(_end - _start + 1, cancellationToken);
        }
    }

    /// <summary>Makes at least <paramref name="count"/> unread bytes available in the buffer.</summary>
    private async ValueTask FillAsync(int count, CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        if (_end - _start >= count)
        {
            return;
        }
        if (_buffer.Length - _start < count)
        {
            var larger = _buffer.Length >= count ? _buffer : new byte[Math.Max(count, _buffer.Length * 2)];
            Buffer.BlockCopy(_buffer, _start, larger, 0, _end - _start);
            _end -= _start;
            _start = 0;
            _buffer = larger;
        }
        while (_end - _start < count)
        {
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException("connection closed by the server");
            }
            _end += read;
        }
    }
}
