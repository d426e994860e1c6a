using System.Text.Json.Nodes;
using Replica.Environments.Compose;
using YamlDotNet.RepresentationModel;

namespace Replica.Chaos.Scenarios.Reading;

/// <summary>Reads <c>probes:</c>: each a name, where it connects (<c>via</c>) and exactly one of websocket, http or health.</summary>
internal static class ProbesReader
{
    public static IReadOnlyList<ProbeDefinition> Read(YamlNodeReader reader, YamlMappingNode top, Topology topology, bool hasAuth)
    {
        var probes = new List<ProbeDefinition>();
        if (ScenarioFields.Required(reader, top, "probes", "scenario") is not { } node)
        {
            return probes;
        }
        if (node is not YamlSequenceNode list || list.Children.Count == 0)
        {
            reader.Problem(node, "probes: expected a list of at least one probe (websocket, http or health)");
            return probes;
        }
        var i = 0;
        foreach (var item in list.Children)
        {
            var path = $"probes[{i++}]";
            if (reader.Mapping(item, path) is not { } map)
            {
                continue;
            }
            reader.CheckKeys(map, path, ScenarioKeys.Probe);
            var name = reader.Child(map, "name") is { } n ? reader.String(n, path + ".name") ?? path : path;
            if (probes.Any(p => p.Name == name))
            {
                reader.Problem(reader.Child(map, "name") ?? item, $"{path}.name: another probe is called '{name}'");
            }
            var target = ProbeTargetReader.Read(reader, map, path, topology);
            var kinds = map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!).Where(ScenarioKeys.ProbeKinds.Contains).ToList();
            if (kinds.Count != 1)
            {
                reader.Problem(item, $"{path}: give exactly one of websocket, http or health");
                continue;
            }
            var body = reader.Child(map, kinds[0])!;
            var kindPath = $"{path}.{kinds[0]}";
            var location = reader.At(item);
            if (reader.Mapping(body, kindPath) is not { } spec)
            {
                continue;
            }
            switch (kinds[0])
            {
                case "websocket":
                    reader.CheckKeys(spec, kindPath, ScenarioKeys.WebSocket);
                    var expect = ScenarioFields.Required(reader, spec, "expect", kindPath) is { } ex ? reader.StringOrList(ex, kindPath + ".expect") ?? [] : [];
                    probes.Add(new WebSocketProbeDefinition(name, target, location,
                        PathOf(reader, spec, kindPath, "/ws"),
                        TokenOf(reader, spec, kindPath, hasAuth),
                        reader.Child(spec, "subprotocols") is { } sp ? reader.StringOrList(sp, kindPath + ".subprotocols") ?? [] : [],
                        reader.Child(spec, "send") is { } send ? YamlJson.Convert(send) : null,
                        expect,
                        reader.Child(spec, "frame_timeout") is { } ft ? reader.Duration(ft, kindPath + ".frame_timeout") ?? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(5),
                        reader.Child(spec, "type_field") is { } tf ? reader.String(tf, kindPath + ".type_field") ?? "type" : "type"));
                    break;
                case "http":
                    reader.CheckKeys(spec, kindPath, ScenarioKeys.Http);
                    var status = 200;
                    var fields = new Dictionary<string, JsonNode?>();
                    if (reader.Child(spec, "expect") is { } expectNode && reader.Mapping(expectNode, kindPath + ".expect") is { } expectMap)
                    {
                        reader.CheckKeys(expectMap, kindPath + ".expect", ScenarioKeys.HttpExpect);
                        status = reader.Child(expectMap, "status") is { } st ? reader.Int(st, kindPath + ".expect.status", 100, 599) ?? 200 : 200;
                        if (reader.Child(expectMap, "json") is { } jsonNode && YamlJson.Convert(jsonNode) is JsonObject expected)
                        {
                            foreach (var (key, value) in expected)
                            {
                                fields[key] = value?.DeepClone();
                            }
                        }
                    }
                    var method = reader.Child(spec, "method") is { } m ? (reader.String(m, kindPath + ".method") ?? "GET").ToUpperInvariant() : "GET";
                    probes.Add(new HttpProbeDefinition(name, target, location, method,
                        PathOf(reader, spec, kindPath, "/"),
                        reader.Child(spec, "body") is { } b ? YamlJson.Convert(b) : null,
                        TokenOf(reader, spec, kindPath, hasAuth),
                        status, fields,
                        reader.Child(spec, "timeout") is { } to ? reader.Duration(to, kindPath + ".timeout") ?? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(10)));
                    break;
                default:
                    reader.CheckKeys(spec, kindPath, ScenarioKeys.Health);
                    probes.Add(new HealthPollProbeDefinition(name, target, location,
                        PathOf(reader, spec, kindPath, "/health"),
                        reader.Child(spec, "status") is { } hs ? reader.Int(hs, kindPath + ".status", 100, 599) ?? 200 : 200,
                        reader.Child(spec, "within") is { } wi ? reader.Duration(wi, kindPath + ".within") ?? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(10),
                        reader.Child(spec, "interval") is { } iv ? reader.Duration(iv, kindPath + ".interval") ?? TimeSpan.FromMilliseconds(100) : TimeSpan.FromMilliseconds(100)));
                    break;
            }
        }
        return probes;
    }

    private static string PathOf(YamlNodeReader reader, YamlMappingNode spec, string path, string fallback)
    {
        if (reader.Child(spec, "path") is not { } node)
        {
            return fallback;
        }
        var value = reader.String(node, path + ".path") ?? fallback;
        if (!value.StartsWith('/'))
        {
            reader.Problem(node, $"{path}.path: expected a path starting with '/', found '{value}'");
        }
        return value;
    }

    private static TokenMode TokenOf(YamlNodeReader reader, YamlMappingNode spec, string path, bool hasAuth)
    {
        if (reader.Child(spec, "token") is not { } node)
        {
            return hasAuth ? TokenMode.Auth : TokenMode.None;
        }
        switch (reader.String(node, path + ".token"))
        {
            case "auth" when hasAuth: return TokenMode.Auth;
            case "auth":
                reader.Problem(node, $"{path}.token: 'auth' needs an auth: block at the top of the scenario (how to get a token)");
                return TokenMode.None;
            case "none": return TokenMode.None;
            case { } other:
                reader.Problem(node, $"{path}.token: expected auth or none, found '{other}'");
                return TokenMode.None;
            default: return TokenMode.None;
        }
    }
}
