using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;

namespace Replica.Chaos.Probes;

/// <summary>Classifies transport errors and HTTP answers into failure modes with stable labels.</summary>
public static class HttpFailures
{
    /// <summary>A message from an error body: its "detail" or "message" field, else the text itself (shortened).</summary>
    public static string MessageOf(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            foreach (var field in new[] { "detail", "message", "error", "error_message" })
            {
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    return value.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
        }
        body = body.ReplaceLineEndings(" ").Trim();
        return body.Length <= 160 ? body : body[..160] + "…";
    }

    public static FailureMode FromException(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                return new FailureMode(FailureKind.ConnectionRefused);
            }
            if (e is SocketException socket)
            {
                return new FailureMode(FailureKind.ConnectionError, Message: socket.SocketErrorCode.ToString());
            }
        }
        var innermost = ex;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }
        var message = ex is WebSocketException ws ? ws.WebSocketErrorCode.ToString() : innermost.GetType().Name;
        return new FailureMode(FailureKind.ConnectionError, Message: message);
    }
}
