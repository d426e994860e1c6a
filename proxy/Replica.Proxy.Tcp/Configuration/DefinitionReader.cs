using System.Text.Json;
using Replica.Proxy.Tcp.Proxies;
using Replica.Proxy.Tcp.Toxics;

namespace Replica.Proxy.Tcp.Configuration;

/// <summary>Reads proxy and toxic requests from lenient JSON: the API bodies, populate and the config file share it.</summary>
internal static class DefinitionReader
{
    /// <summary>A proxy to create; enabled defaults to true; toxics (Replica's addition) are optional.</summary>
    public static ProxyDefinition Proxy(JsonElement element, string what = "proxy")
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return new ProxyDefinition("", "", "");
        }
        LenientJson.RequireKind(element, JsonValueKind.Object, what);
        List<ToxicSpec>? toxics = null;
        if (LenientJson.Property(element, "toxics") is { } list)
        {
            LenientJson.RequireKind(list, JsonValueKind.Array, "field toxics");
            toxics = [.. list.EnumerateArray().Select(t => Toxic(t, "toxic"))];
        }
        return new ProxyDefinition(
            LenientJson.String(element, "name") ?? "",
            LenientJson.String(element, "listen") ?? "",
            LenientJson.String(element, "upstream") ?? "")
        {
            Enabled = LenientJson.Boolean(element, "enabled") ?? true,
            Toxics = toxics,
        };
    }

    public static IReadOnlyList<ProxyDefinition> Proxies(JsonElement element)
    {
        LenientJson.RequireKind(element, JsonValueKind.Array, "list of proxies");
        return [.. element.EnumerateArray().Select(p => Proxy(p))];
    }

    /// <summary>A change to a proxy: name and toxics are ignored (the Go CLI sends the whole proxy back).</summary>
    public static ProxyUpdate ProxyUpdate(JsonElement element)
    {
        LenientJson.RequireKind(element, JsonValueKind.Object, "proxy");
        return new ProxyUpdate
        {
            Listen = LenientJson.String(element, "listen"),
            Upstream = LenientJson.String(element, "upstream"),
            Enabled = LenientJson.Boolean(element, "enabled"),
        };
    }

    public static ToxicSpec Toxic(JsonElement element, string what = "toxic")
    {
        LenientJson.RequireKind(element, JsonValueKind.Object, what);
        return new ToxicSpec(LenientJson.String(element, "type") ?? "")
        {
            Name = LenientJson.String(element, "name"),
            Stream = LenientJson.String(element, "stream"),
            Toxicity = LenientJson.Float(element, "toxicity"),
            Attributes = Attributes(element),
        };
    }

    /// <summary>A change to a toxic: only attributes and toxicity; name, type and stream are ignored.</summary>
    public static ToxicUpdate ToxicUpdate(JsonElement element)
    {
        LenientJson.RequireKind(element, JsonValueKind.Object, "toxic");
        return new ToxicUpdate { Attributes = Attributes(element), Toxicity = LenientJson.Float(element, "toxicity") };
    }

    private static Dictionary<string, object?>? Attributes(JsonElement element)
    {
        if (LenientJson.Property(element, "attributes") is not { } attributes)
        {
            return null;
        }
        LenientJson.RequireKind(attributes, JsonValueKind.Object, "field attributes");
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in attributes.EnumerateObject())
        {
            values[property.Name] = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value;
        }
        return values;
    }
}
