using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Replica.Proxy.Tcp.Proxies;
using Replica.Proxy.Tcp.Toxics;

namespace Replica.Proxy.Tcp.Api;

/// <summary>
/// Response bodies in Toxiproxy's exact shapes and field order: proxy {name, listen, upstream, enabled, toxics},
/// toxic {attributes, name, type, stream, toxicity}, error {error, status} plus a newline.
/// </summary>
internal static class ApiJson
{
    // Like Go's encoder: non-ASCII as is, HTML-sensitive characters as \u00XX.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public static byte[] Proxy(ProxyState proxy) => Write(w => WriteProxy(w, proxy));

    public static byte[] Proxies(IEnumerable<ProxyState> proxies) => Write(w =>
    {
        w.WriteStartObject();
        foreach (var proxy in proxies)
        {
            w.WritePropertyName(proxy.Name);
            WriteProxy(w, proxy);
        }
        w.WriteEndObject();
    });

    /// <summary><c>{"proxies":[…]}</c>; an empty list is <c>null</c>, as Toxiproxy answers an empty populate.</summary>
    public static byte[] Populated(IReadOnlyList<ProxyState> proxies) => Write(w =>
    {
        w.WriteStartObject();
        WriteProxyList(w, proxies);
        w.WriteEndObject();
    });

    public static byte[] Toxic(Toxic toxic) => Write(w => WriteToxic(w, toxic));

    public static byte[] Toxics(IEnumerable<Toxic> toxics) => Write(w =>
    {
        w.WriteStartArray();
        foreach (var toxic in toxics)
        {
            WriteToxic(w, toxic);
        }
        w.WriteEndArray();
    });

    /// <summary>
    /// <c>{"error":…,"status":…}</c> and a newline. <c>title</c> repeats the message for Toxiproxy.Net and toxiproxy-java,
    /// which read that pre-2.1 name. Populate failures are one object with the proxies processed before the failure
    /// and, as Toxiproxy marshals them, no newline.
    /// </summary>
    public static byte[] Error(ToxiproxyException error, IReadOnlyList<ProxyState>? populated = null, bool isPopulate = false)
    {
        var body = Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("error", error.Message);
            w.WriteNumber("status", error.StatusCode);
            w.WriteString("title", error.Message);
            if (isPopulate)
            {
                WriteProxyList(w, populated ?? []);
            }
            w.WriteEndObject();
        });
        return isPopulate ? body : [.. body, (byte)'\n'];
    }

    private static void WriteProxyList(Utf8JsonWriter w, IReadOnlyList<ProxyState> proxies)
    {
        w.WritePropertyName("proxies");
        if (proxies.Count == 0)
        {
            w.WriteNullValue();
            return;
        }
        w.WriteStartArray();
        foreach (var proxy in proxies)
        {
            WriteProxy(w, proxy);
        }
        w.WriteEndArray();
    }

    private static void WriteProxy(Utf8JsonWriter w, ProxyState proxy)
    {
        w.WriteStartObject();
        w.WriteString("name", proxy.Name);
        w.WriteString("listen", proxy.Listen);
        w.WriteString("upstream", proxy.Upstream);
        w.WriteBoolean("enabled", proxy.Enabled);
        w.WriteStartArray("toxics");
        foreach (var toxic in proxy.Toxics)
        {
            WriteToxic(w, toxic);
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteToxic(Utf8JsonWriter w, Toxic toxic)
    {
        w.WriteStartObject();
        w.WriteStartObject("attributes");
        foreach (var (name, value) in toxic.Attributes)
        {
            if (value is long number)
            {
                w.WriteNumber(name, number);
            }
            else
            {
                w.WriteString(name, (string)value);
            }
        }
        w.WriteEndObject();
        w.WriteString("name", toxic.Name);
        w.WriteString("type", toxic.Type);
        w.WriteString("stream", toxic.Stream);
        w.WriteNumber("toxicity", toxic.Toxicity);
        w.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }
}
