using Replica.Environments.Compose;
using YamlDotNet.RepresentationModel;

namespace Replica.Chaos.Scenarios.Reading;

/// <summary>Reads <c>via:</c>: through the edge proxy (the default), or straight to a service's first port.</summary>
internal static class ProbeTargetReader
{
    public static ProbeTarget Read(YamlNodeReader reader, YamlMappingNode map, string path, Topology topology)
    {
        if (reader.Child(map, "via") is not { } via || reader.String(via, path + ".via") is not { } text || text == "edge")
        {
            if (topology.EdgeRoutes.Count == 0)
            {
                reader.Problem(reader.Child(map, "via") ?? map, $"{path}: goes through the edge proxy, but {topology.SourceFile} declares none (x-replica.edge.routes); set via: SERVICE");
            }
            return ProbeTarget.Edge;
        }
        if (!topology.Contains(text))
        {
            reader.Problem(via, $"{path}.via: expected 'edge' or a service name, found '{text}'{KeySuggestion.For(text, topology.Services.Select(s => s.Name))}");
        }
        else if (topology[text].PrimaryPort is null)
        {
            reader.Problem(via, $"{path}.via: service '{text}' declares no ports");
        }
        return new ProbeTarget(text);
    }
}
