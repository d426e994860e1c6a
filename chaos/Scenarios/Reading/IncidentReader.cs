using Replica.Environments.Compose;
using YamlDotNet.RepresentationModel;

namespace Replica.Chaos.Scenarios.Reading;

/// <summary>Reads <c>incident:</c>: the staging incident's title, link, summary and story (seen, tried, why_it_failed, fix).</summary>
internal static class IncidentReader
{
    public static ScenarioIncident? Read(YamlNodeReader reader, YamlMappingNode top)
    {
        if (ScenarioFields.Required(reader, top, "incident", "scenario") is not { } node || reader.Mapping(node, "incident") is not { } map)
        {
            return null;
        }
        reader.CheckKeys(map, "incident", ScenarioKeys.Incident);
        string? Text(string key) => reader.Child(map, key) is { } n ? reader.String(n, "incident." + key) : null;
        var title = ScenarioFields.Required(reader, map, "title", "incident") is not null ? Text("title") : null;
        return new ScenarioIncident(title ?? "", Text("link"), Text("summary"))
        {
            Seen = Text("seen"),
            Tried = Text("tried"),
            WhyItFailed = Text("why_it_failed"),
            Fix = Text("fix"),
        };
    }
}
