using System.Text;
using System.Text.Json;

namespace Replica.Environments.Docker;

/// <summary>
/// Reads the JSON message stream of <c>/build</c> and <c>/images/create</c>: objects concatenated or one per line,
/// split anywhere across chunks. The engine answers 200 even when the build or pull fails; the failure is an
/// object with <c>error</c>/<c>errorDetail</c>, which this turns into <see cref="JsonMessageStreamResult.Error"/>.
/// </summary>
public static class JsonMessageStream
{
    private const int KeptLines = 25;

    public static async Task<JsonMessageStreamResult> ReadAsync(
        Stream stream,
        IProgress<string>? progress,
        CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var filled = 0;
        string? imageId = null;
        string? error = null;
        var lines = new Queue<string>();
        var partialLine = new StringBuilder();

        void Output(string text)
        {
            // "stream" text comes in pieces that need not end in a newline; report whole lines.
            partialLine.Append(text);
            var all = partialLine.ToString();
            var lastNewline = all.LastIndexOf('\n');
            if (lastNewline < 0)
            {
                return;
            }

            foreach (var line in all[..lastNewline].Split('\n'))
            {
                var trimmed = line.TrimEnd('\r');
                if (trimmed.Length == 0)
                {
                    continue;
                }

                progress?.Report(trimmed);
                lines.Enqueue(trimmed);
                if (lines.Count > KeptLines)
                {
                    lines.Dequeue();
                }
            }

            partialLine.Clear().Append(all[(lastNewline + 1)..]);
        }

        while (true)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            filled += read;
            var consumed = 0;
            while (TryReadObject(buffer.AsSpan(consumed, filled - consumed), read == 0, out var message, out var length))
            {
                consumed += length;
                using (message)
                {
                    var root = message.RootElement;
                    if (root.ValueKind != JsonValueKind.Object)
                    {
                        continue;
                    }

                    if (root.TryGetProperty("stream", out var text) && text.ValueKind == JsonValueKind.String)
                    {
                        Output(text.GetString()!);
                    }

                    if (root.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String)
                    {
                        var id = root.TryGetProperty("id", out var idElement) ? idElement.GetString() + ": " : "";
                        Output($"{id}{status.GetString()}\n");
                    }

                    if (root.TryGetProperty("aux", out var aux) && aux.ValueKind == JsonValueKind.Object
                        && aux.TryGetProperty("ID", out var auxId))
                    {
                        imageId = auxId.GetString();
                    }

                    if (root.TryGetProperty("errorDetail", out var detail) && detail.ValueKind == JsonValueKind.Object
                        && detail.TryGetProperty("message", out var detailMessage))
                    {
                        error ??= detailMessage.GetString();
                    }

                    if (root.TryGetProperty("error", out var errorText) && errorText.ValueKind == JsonValueKind.String)
                    {
                        error ??= errorText.GetString();
                    }
                }
            }

            Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
            filled -= consumed;
            if (read == 0)
            {
                break;
            }
        }

        Output("\n");
        return new JsonMessageStreamResult(imageId, error, lines.ToArray());
    }

    private static bool TryReadObject(ReadOnlySpan<byte> data, bool final, out JsonDocument document, out int length)
    {
        var reader = new Utf8JsonReader(data, isFinalBlock: final, state: default);
        document = null!;
        length = 0;
        try
        {
            if (!JsonDocument.TryParseValue(ref reader, out var parsed) || parsed is null)
            {
                return false;
            }

            document = parsed;
            length = (int)reader.BytesConsumed;
            return true;
        }
        catch (JsonException) when (final)
        {
            // Trailing garbage at the very end: nothing more to read.
            return false;
        }
    }
}
