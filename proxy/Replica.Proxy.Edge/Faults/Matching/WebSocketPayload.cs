using System.Text.Json;

namespace Replica.Proxy.Edge.Faults.Matching;

/// <summary>A whole WebSocket data message's unmasked payload; its JSON is parsed once, on first use.</summary>
internal sealed class WebSocketPayload(ReadOnlyMemory<byte> bytes, bool compressed)
{
    private bool _parsed;
    private JsonElement? _json;

    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    /// <summary>True when permessage-deflate compressed it: its content cannot be read without the connection's inflate state.</summary>
    public bool Compressed { get; } = compressed;

    public JsonElement? Json
    {
        get
        {
            if (!_parsed)
            {
                _parsed = true;
                if (!Compressed)
                {
                    try
                    {
                        using var document = JsonDocument.Parse(Bytes);
                        _json = document.RootElement.Clone();
                    }
                    catch (JsonException)
                    {
                        _json = null;
                    }
                }
            }
            return _json;
        }
    }
}
