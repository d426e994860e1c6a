using Replica.Environments.Compose;
using YamlDotNet.RepresentationModel;

namespace Replica.Chaos.Scenarios.Reading;

/// <summary>Reads <c>auth:</c>: the one request probes get a bearer token with, and the JSON field holding it.</summary>
internal static class AuthReader
{
    public static TokenRequest? Read(YamlNodeReader reader, YamlNode node, Topology topology)
    {
        if (reader.Mapping(node, "auth") is not { } map)
        {
            return null;
        }
        reader.CheckKeys(map, "auth", ScenarioKeys.Auth);
        var path = ScenarioFields.Required(reader, map, "path", "auth") is { } p ? reader.String(p, "auth.path") ?? "/" : "/";
        if (!path.StartsWith('/'))
        {
            reader.Problem(reader.Child(map, "path")!, $"auth.path: expected a path starting with '/', found '{path}'");
        }
        var method = reader.Child(map, "method") is { } m ? (reader.String(m, "auth.method") ?? "POST").ToUpperInvariant() : "POST";
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (reader.Child(map, "headers") is { } h && reader.Mapping(h, "auth.headers") is { } hm)
        {
            foreach (var (k, v) in hm.Children)
            {
                var key = ((YamlScalarNode)k).Value ?? "";
                if (reader.String(v, $"auth.headers.{key}") is { } value)
                {
                    headers[key] = value;
                }
            }
        }
        var field = reader.Child(map, "token_field") is { } f ? reader.String(f, "auth.token_field") ?? "access_token" : "access_token";
        return new TokenRequest(method, path, headers, reader.Child(map, "body") is { } b ? YamlJson.Convert(b) : null, field,
            ProbeTargetReader.Read(reader, map, "auth", topology));
    }
}
