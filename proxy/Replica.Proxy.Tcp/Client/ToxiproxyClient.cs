using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Replica.Proxy.Tcp.Proxies;
using Replica.Proxy.Tcp.Toxics;

namespace Replica.Proxy.Tcp.Client;

/// <summary>
/// A typed client for a Toxiproxy HTTP API: Replica's own server or toxiproxy-server. An error answer becomes a
/// <see cref="ToxiproxyException"/> with the server's status and message; an unreachable API, or one that is not Toxiproxy, a <see cref="ToxiproxyUnavailableException"/>.
/// </summary>
public sealed class ToxiproxyClient : IDisposable
{
    private readonly HttpClient http;

    public ToxiproxyClient(Uri apiUrl, HttpMessageHandler? handler = null)
    {
        ApiUrl = apiUrl;
        http = new HttpClient(handler ?? new SocketsHttpHandler(), disposeHandler: true) { BaseAddress = apiUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("replica-toxiproxy-client", "1"));
    }

    public Uri ApiUrl { get; }

    public async Task<string> GetVersionAsync(CancellationToken cancellationToken = default)
    {
        return await SendAsync(HttpMethod.Get, "version", null, body => body.GetProperty("version").GetString() ?? "", cancellationToken);
    }

    /// <summary>Every proxy, ordered by name.</summary>
    public async Task<IReadOnlyList<ProxyInfo>> GetProxiesAsync(CancellationToken cancellationToken = default)
    {
        return await SendAsync(HttpMethod.Get, "proxies", null,
            body => (IReadOnlyList<ProxyInfo>)[.. body.EnumerateObject().Select(p => ReadProxy(p.Value)).OrderBy(p => p.Name, StringComparer.Ordinal)],
            cancellationToken);
    }

    public async Task<ProxyInfo> GetProxyAsync(string name, CancellationToken cancellationToken = default)
    {
        return await SendAsync(HttpMethod.Get, $"proxies/{Segment(name)}", null, ReadProxy, cancellationToken);
    }

    public async Task<ProxyInfo> CreateProxyAsync(ProxyDefinition definition, CancellationToken cancellationToken = default)
    {
        return await SendAsync(HttpMethod.Post, "proxies", w => WriteDefinition(w, definition), ReadProxy, cancellationToken);
    }

    public async Task DeleteProxyAsync(string name, CancellationToken cancellationToken = default)
    {
        await SendAsync(HttpMethod.Delete, $"proxies/{Segment(name)}", null, cancellationToken);
    }

    /// <summary>Enables or disables a proxy ("down": the port closes and every connection drops).</summary>
    public Task<ProxyInfo> SetEnabledAsync(string name, bool enabled, CancellationToken cancellationToken = default) =>
        UpdateProxyAsync(name, new ProxyUpdate { Enabled = enabled }, cancellationToken);

    /// <summary>
    /// Changes a proxy's listen address, upstream or enabled state; a null field keeps its value. A new listen or
    /// upstream restarts the proxy (its connections drop); toxics stay.
    /// </summary>
    public async Task<ProxyInfo> UpdateProxyAsync(string name, ProxyUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return await SendAsync(HttpMethod.Post, $"proxies/{Segment(name)}", w =>
        {
            w.WriteStartObject();
            if (update.Listen is { } listen)
            {
                w.WriteString("listen", listen);
            }
            if (update.Upstream is { } upstream)
            {
                w.WriteString("upstream", upstream);
            }
            if (update.Enabled is { } enabled)
            {
                w.WriteBoolean("enabled", enabled);
            }
            w.WriteEndObject();
        }, ReadProxy, cancellationToken);
    }

    /// <summary>A proxy's toxics: upstream ones first, then downstream ones, each in the order they were added.</summary>
    public async Task<IReadOnlyList<ToxicInfo>> GetToxicsAsync(string proxy, CancellationToken cancellationToken = default)
    {
        return await SendAsync(HttpMethod.Get, $"proxies/{Segment(proxy)}/toxics", null,
            body => (IReadOnlyList<ToxicInfo>)[.. body.EnumerateArray().Select(ReadToxic)], cancellationToken);
    }

    public async Task<ToxicInfo> GetToxicAsync(string proxy, string toxic, CancellationToken cancellationToken = default)
    {
        return await SendAsync(HttpMethod.Get, $"proxies/{Segment(proxy)}/toxics/{Segment(toxic)}", null, ReadToxic, cancellationToken);
    }

    public async Task<ToxicInfo> AddToxicAsync(string proxy, ToxicSpec toxic, CancellationToken cancellationToken = default)
    {
        return await SendAsync(HttpMethod.Post, $"proxies/{Segment(proxy)}/toxics", w => WriteToxic(w, toxic), ReadToxic, cancellationToken);
    }

    public async Task<ToxicInfo> UpdateToxicAsync(string proxy, string toxic, ToxicUpdate update, CancellationToken cancellationToken = default)
    {
        return await SendAsync(HttpMethod.Post, $"proxies/{Segment(proxy)}/toxics/{Segment(toxic)}", w =>
        {
            w.WriteStartObject();
            if (update.Toxicity is { } toxicity)
            {
                w.WriteNumber("toxicity", toxicity);
            }
            WriteAttributes(w, update.Attributes);
            w.WriteEndObject();
        }, ReadToxic, cancellationToken);
    }

    public async Task RemoveToxicAsync(string proxy, string toxic, CancellationToken cancellationToken = default)
    {
        await SendAsync(HttpMethod.Delete, $"proxies/{Segment(proxy)}/toxics/{Segment(toxic)}", null, cancellationToken);
    }

    /// <summary>Enables every proxy and removes every toxic (Replica's server puts declared toxics back).</summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        await SendAsync(HttpMethod.Post, "reset", null, cancellationToken);
    }

    public void Dispose() => http.Dispose();

    private static string Segment(string name) => Uri.EscapeDataString(name);

    /// <summary>Sends and reads the answer's JSON; an answer that is not Toxiproxy's JSON (an HTML page, another
    /// service's JSON, fields of the wrong kind) is a <see cref="ToxiproxyUnavailableException"/> saying so, not a parser's exception.</summary>
    private async Task<T> SendAsync<T>(HttpMethod method, string path, Action<Utf8JsonWriter>? writeBody, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        var text = await SendAsync(method, path, writeBody, cancellationToken);
        try
        {
            using var body = JsonDocument.Parse(text);
            return read(body.RootElement);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            var what = text.Trim().Length == 0 ? "an empty body"
                : e is JsonException ? $"not JSON: {Excerpt(text)}"
                : $"unexpected JSON: {Excerpt(text)}";
            throw new ToxiproxyUnavailableException($"the API at {ApiUrl} did not answer like Toxiproxy to {method} /{path}: {what}",
                hint: "point --api (or REPLICA_TOXIPROXY_URL) at a Toxiproxy API", inner: e);
        }
    }

    /// <summary>Sends and returns the text of a 2xx answer; an error answer becomes a <see cref="ToxiproxyException"/>.</summary>
    private async Task<string> SendAsync(HttpMethod method, string path, Action<Utf8JsonWriter>? writeBody, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (writeBody is not null)
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writeBody(writer);
            }
            request.Content = new ByteArrayContent(buffer.WrittenSpan.ToArray());
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ToxiproxyUnavailableException($"cannot reach the Toxiproxy API at {ApiUrl}: {e.Message}",
                hint: "start one with `replica toxiproxy`, or point --api (or REPLICA_TOXIPROXY_URL) at a running one", inner: e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ToxiproxyUnavailableException($"the Toxiproxy API at {ApiUrl} did not answer within {http.Timeout.TotalSeconds:F0} s", inner: e);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new ToxiproxyException((int)response.StatusCode, ErrorMessage(response.StatusCode, text));
            }
            return text;
        }
    }

    /// <summary>The start of an answer on one line, enough to recognise what answered.</summary>
    private static string Excerpt(string text)
    {
        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= 80 ? line : line[..80] + "…";
    }

    private static string ErrorMessage(HttpStatusCode status, string text)
    {
        try
        {
            using var error = JsonDocument.Parse(text);
            if (error.RootElement.ValueKind == JsonValueKind.Object
                && (error.RootElement.TryGetProperty("error", out var message) || error.RootElement.TryGetProperty("title", out message)))
            {
                return message.GetString() ?? text;
            }
        }
        catch (JsonException)
        {
            // Not Toxiproxy's JSON error: show the status and the text as they came.
        }
        return $"HTTP {(int)status}: {text.Trim()}";
    }

    private static ProxyInfo ReadProxy(JsonElement proxy) => new(
        proxy.GetProperty("name").GetString() ?? "",
        proxy.GetProperty("listen").GetString() ?? "",
        proxy.GetProperty("upstream").GetString() ?? "",
        proxy.GetProperty("enabled").GetBoolean(),
        proxy.TryGetProperty("toxics", out var toxics) && toxics.ValueKind == JsonValueKind.Array ? [.. toxics.EnumerateArray().Select(ReadToxic)] : []);

    private static ToxicInfo ReadToxic(JsonElement toxic) => new(
        toxic.GetProperty("name").GetString() ?? "",
        toxic.GetProperty("type").GetString() ?? "",
        toxic.GetProperty("stream").GetString() ?? "",
        toxic.GetProperty("toxicity").GetSingle(),
        toxic.TryGetProperty("attributes", out var attributes) && attributes.ValueKind == JsonValueKind.Object
            ? [.. attributes.EnumerateObject().Select(a => new KeyValuePair<string, JsonElement>(a.Name, a.Value.Clone()))]
            : []);

    private static void WriteDefinition(Utf8JsonWriter w, ProxyDefinition definition)
    {
        w.WriteStartObject();
        w.WriteString("name", definition.Name);
        w.WriteString("listen", definition.Listen);
        w.WriteString("upstream", definition.Upstream);
        w.WriteBoolean("enabled", definition.Enabled);
        if (definition.Toxics is { } toxics)
        {
            w.WriteStartArray("toxics");
            foreach (var toxic in toxics)
            {
                WriteToxic(w, toxic);
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static void WriteToxic(Utf8JsonWriter w, ToxicSpec toxic)
    {
        w.WriteStartObject();
        if (toxic.Name is not null)
        {
            w.WriteString("name", toxic.Name);
        }
        w.WriteString("type", toxic.Type);
        if (toxic.Stream is not null)
        {
            w.WriteString("stream", toxic.Stream);
        }
        if (toxic.Toxicity is { } toxicity)
        {
            w.WriteNumber("toxicity", toxicity);
        }
        WriteAttributes(w, toxic.Attributes);
        w.WriteEndObject();
    }

    private static void WriteAttributes(Utf8JsonWriter w, IReadOnlyDictionary<string, object?>? attributes)
    {
        if (attributes is null)
        {
            return;
        }
        w.WriteStartObject("attributes");
        foreach (var (name, value) in attributes)
        {
            w.WritePropertyName(name);
            WriteAttributeValue(w, name, value);
        }
        w.WriteEndObject();
    }

    // The values callers give: numbers, strings and booleans from code or the CLI, JSON values read from a file.
    private static void WriteAttributeValue(Utf8JsonWriter w, string name, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case JsonElement element: element.WriteTo(w); break;
            case System.Text.Json.Nodes.JsonNode node: node.WriteTo(w); break;
            case string text: w.WriteStringValue(text); break;
            case bool flag: w.WriteBooleanValue(flag); break;
            case int or long or short or byte or sbyte or ushort or uint:
                w.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case ulong unsigned: w.WriteNumberValue(unsigned); break;
            case float single: w.WriteNumberValue(single); break;
            case double number: w.WriteNumberValue(number); break;
            case decimal exact: w.WriteNumberValue(exact); break;
            default:
                throw new ArgumentException($"toxic attribute '{name}': a {value.GetType().Name} is not a JSON value; expected a number, a string, a boolean or a JsonElement");
        }
    }
}
