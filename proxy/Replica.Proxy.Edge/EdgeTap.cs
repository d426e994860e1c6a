using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Replica.Proxy.Edge;

/// <summary>
/// A live feed of what crosses the edge proxy: each HTTP request once answered (method, path, status, time taken),
/// each WebSocket opened and closed, each data message with its JSON <c>type</c> and its text (cut at
/// <see cref="MaxText"/> characters), each close frame's code and reason, and each injected fault. Nothing is
/// recorded while no one listens: the proxy checks <see cref="Active"/> (one field read) and does no more; with a
/// listener, WebSocket messages are buffered whole so that their text can be shown. Listeners run on the proxy's
/// threads and must return at once (queue the entry); one that throws is ignored. Payloads are the peers' bytes:
/// untrusted text, to be escaped wherever it is shown.
/// </summary>
public sealed class EdgeTap
{
    /// <summary>How much of a message's text an entry carries.</summary>
    public const int MaxText = 2048;

    private Action<Entry>[] _listeners = [];

    /// <summary>Whether anyone listens; the proxy records nothing when not.</summary>
    public bool Active => Volatile.Read(ref _listeners).Length > 0;

    /// <summary>Receives every entry from now on, until the returned handle is disposed.</summary>
    public IDisposable Subscribe(Action<Entry> listener)
    {
        lock (this)
        {
            _listeners = [.. _listeners, listener];
        }
        return new Subscription(this, listener);
    }

    internal void Request(string route, string method, string path, int status, TimeSpan took, bool webSocket) =>
        Publish(new Entry(DateTimeOffset.UtcNow, webSocket ? "websocket" : "request", route, null, null, method, path, status, null, null, took.TotalMilliseconds, null));

    internal void Opened(string route, string connection, string path) =>
        Publish(new Entry(DateTimeOffset.UtcNow, "open", route, connection, null, null, path, null, null, null, null, null));

    internal void Closed(string route, string connection, string path) =>
        Publish(new Entry(DateTimeOffset.UtcNow, "closed", route, connection, null, null, path, null, null, null, null, null));

    /// <summary>A data message, delivered or (<paramref name="fault"/> set) dropped or delayed by a rule.</summary>
    internal void Message(string route, string connection, bool toClient, ReadOnlySpan<byte> payload, bool compressed, string? fault)
    {
        string? type = null;
        string text;
        if (compressed)
        {
            text = $"({payload.Length} bytes, compressed)";
        }
        else
        {
            text = Encoding.UTF8.GetString(payload[..Math.Min(payload.Length, MaxText * 4)]);
            type = TypeOf(payload);
            if (text.Length > MaxText)
            {
                text = text[..MaxText] + "…";
            }
        }
        Publish(new Entry(DateTimeOffset.UtcNow, "frame", route, connection, toClient ? "to-client" : "to-upstream", null, null, null, type, text, null, fault));
    }

    /// <summary>A close frame (its payload unmasked): code and reason; <paramref name="fault"/> when the proxy sent it.</summary>
    internal void Close(string route, string connection, bool toClient, ReadOnlySpan<byte> payload, string? fault)
    {
        int? code = payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : null;
        var reason = payload.Length > 2 ? Encoding.UTF8.GetString(payload[2..]) : "";
        Publish(new Entry(DateTimeOffset.UtcNow, "close", route, connection, toClient ? "to-client" : "to-upstream", null, null, code, "close", reason, null, fault));
    }

    internal void Fault(string ruleId, string kind, string target, string? detail) =>
        Publish(new Entry(DateTimeOffset.UtcNow, "fault", "", null, null, null, target, null, kind, detail, null, ruleId));

    private void Publish(Entry entry)
    {
        foreach (var listener in Volatile.Read(ref _listeners))
        {
            try
            {
                listener(entry);
            }
            catch (Exception)
            {
                // A listener must never break the traffic it watches.
            }
        }
    }

    private static string? TypeOf(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                reader.Read();
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON (or cut off): no type.
        }
        return null;
    }

    /// <summary>
    /// One thing seen at the edge. <see cref="Kind"/>: request, websocket (a handshake answered), open, closed, frame,
    /// close, fault. <see cref="Status"/> is the HTTP status, or a close frame's code; <see cref="Type"/> a frame's JSON
    /// type (or the fault's kind); <see cref="Fault"/> the rule that acted on it, when one did.
    /// </summary>
    public sealed record Entry(
        DateTimeOffset At, string Kind, string Route, string? Connection, string? Direction, string? Method, string? Path,
        int? Status, string? Type, string? Text, double? Milliseconds, string? Fault);

    private sealed class Subscription(EdgeTap tap, Action<Entry> listener) : IDisposable
    {
        public void Dispose()
        {
            lock (tap)
            {
                tap._listeners = [.. tap._listeners.Where(l => l != listener)];
            }
        }
    }
}
