using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Replica.Environments.Docker;

/// <summary>
/// Splits the engine's multiplexed stdout/stderr stream (logs, attach, exec without a TTY) into frames: an
/// 8-byte header (stream byte, three zero bytes, big-endian payload length) then the payload. Frames do not
/// line up with HTTP chunks, so headers and payloads are read exactly, however the bytes arrive.
/// </summary>
public static class MultiplexedStreamReader
{
    public static async IAsyncEnumerable<LogFrame> ReadFramesAsync(
        Stream stream,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var header = new byte[8];
        while (true)
        {
            var headerRead = await ReadUpToAsync(stream, header, cancellationToken).ConfigureAwait(false);
            if (headerRead == 0)
            {
                yield break;
            }

            if (headerRead < header.Length)
            {
                throw new InvalidDataException($"docker log stream ended inside a frame header ({headerRead} of 8 bytes)");
            }

            if (header[0] > 2 || header[1] != 0 || header[2] != 0 || header[3] != 0)
            {
                throw new InvalidDataException(
                    $"docker log stream: bad frame header {Convert.ToHexString(header)}; was the container started with a TTY?");
            }

            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            var payload = new byte[length];
            var payloadRead = await ReadUpToAsync(stream, payload, cancellationToken).ConfigureAwait(false);
            if (payloadRead < length)
            {
                throw new InvalidDataException($"docker log stream ended inside a frame ({payloadRead} of {length} bytes)");
            }

            yield return new LogFrame((LogStream)header[0], payload);
        }
    }

    /// <summary>A TTY container's stream has no frames: all of it is stdout.</summary>
    public static async IAsyncEnumerable<LogFrame> ReadRawAsync(
        Stream stream,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            yield return new LogFrame(LogStream.Stdout, buffer.AsMemory(0, read).ToArray());
        }
    }

    private static async Task<int> ReadUpToAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
