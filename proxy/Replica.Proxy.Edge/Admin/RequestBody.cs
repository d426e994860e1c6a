using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Replica.Proxy.Edge.Admin;

/// <summary>Reading an admin request's body whole, bounded, and describing why it is not JSON.</summary>
internal static class RequestBody
{
    /// <summary>The body's bytes; null when it is longer than <paramref name="limit"/> (the rest is not read).</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (body.Length + read > limit)
            {
                return null;
            }
            body.Write(buffer, 0, read);
        }
        return body.ToArray();
    }

    /// <summary>
    /// "not valid JSON at byte offset 17 (line 1, column 18): '}' is invalid …": where it broke, in the body's own
    /// terms, without the parser's internal path.
    /// </summary>
    public static string DescribeInvalidJson(JsonException error, ReadOnlySpan<byte> body)
    {
        var message = error.Message;
        foreach (var marker in new[] { " Path:", " LineNumber:" })
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }
        }
        if (error.LineNumber is not { } line)
        {
            return $"not valid JSON: {message}";
        }
        var column = error.BytePositionInLine ?? 0;
        long offset = 0;
        for (var l = 0L; l < line && offset < body.Length; l++)
        {
            var next = body[(int)offset..].IndexOf((byte)'\n');
            offset = next < 0 ? body.Length : offset + next + 1;
        }
        return $"not valid JSON at byte offset {offset + column} (line {line + 1}, column {column + 1}): {message}";
    }
}
