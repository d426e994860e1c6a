using Replica.Environments.Compose;
using YamlDotNet.RepresentationModel;

namespace Replica.Chaos.Scenarios.Reading;

/// <summary>Reads <c>symptom:</c>: what staging's clients saw, exactly one of websocket_close, http or silence_after.</summary>
internal static class SymptomReader
{
    public static Symptom? Read(YamlNodeReader reader, YamlMappingNode top)
    {
        if (ScenarioFields.Required(reader, top, "symptom", "scenario") is not { } node || reader.Mapping(node, "symptom") is not { } map)
        {
            return null;
        }
        reader.CheckKeys(map, "symptom", ScenarioKeys.Symptom);
        // x- keys are notes, not kinds; an unknown key is already reported by CheckKeys.
        var kinds = map.Children.Where(c => ScenarioKeys.Symptom.Contains((c.Key as YamlScalarNode)?.Value ?? "")).ToList();
        if (kinds.Count != 1)
        {
            if (kinds.Count > 1 || map.Children.All(c => ((c.Key as YamlScalarNode)?.Value ?? "").StartsWith("x-", StringComparison.Ordinal)))
            {
                reader.Problem(node, "symptom: give exactly one of websocket_close, http or silence_after");
            }
            return null;
        }
        var (keyNode, value) = kinds[0];
        switch (((YamlScalarNode)keyNode).Value)
        {
            case "websocket_close" when reader.Mapping(value, "symptom.websocket_close") is { } close:
                reader.CheckKeys(close, "symptom.websocket_close", ScenarioKeys.SymptomClose);
                var code = ScenarioFields.Required(reader, close, "code", "symptom.websocket_close") is { } cn ? reader.Int(cn, "symptom.websocket_close.code", 1000, 4999) : null;
                var reason = reader.Child(close, "reason") is { } rn ? reader.String(rn, "symptom.websocket_close.reason") : null;
                return new Symptom(SymptomKind.WebSocketClose, code, reason, null);
            case "http" when reader.Mapping(value, "symptom.http") is { } http:
                reader.CheckKeys(http, "symptom.http", ScenarioKeys.SymptomHttp);
                var status = ScenarioFields.Required(reader, http, "status", "symptom.http") is { } sn ? reader.Int(sn, "symptom.http.status", 100, 599) : null;
                var body = reader.Child(http, "body") is { } bn ? reader.String(bn, "symptom.http.body") : null;
                return new Symptom(SymptomKind.HttpStatus, status, body, null);
            case "silence_after":
                return new Symptom(SymptomKind.SilenceAfter, null, null, reader.StringOrList(value, "symptom.silence_after") ?? []);
            default:
                return null;
        }
    }
}
