using Replica.Environments.Compose;
using YamlDotNet.RepresentationModel;

namespace Replica.Chaos.Scenarios.Reading;

/// <summary>Reads <c>settings:</c> (top level or a variant's): per service of the compose file, environment values as text.</summary>
internal static class SettingsReader
{
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Read(YamlNodeReader reader, YamlNode node, string path, Topology topology)
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, string>>();
        if (reader.Mapping(node, path) is not { } map)
        {
            return result;
        }
        foreach (var (serviceNode, valuesNode) in map.Children)
        {
            var service = ((YamlScalarNode)serviceNode).Value ?? "";
            if (!topology.Contains(service))
            {
                reader.Problem(serviceNode, $"{path}: unknown service '{service}'{KeySuggestion.For(service, topology.Services.Select(x => x.Name))}");
                continue;
            }
            if (reader.Mapping(valuesNode, $"{path}.{service}") is not { } values)
            {
                continue;
            }
            var dict = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in values.Children)
            {
                var key = ((YamlScalarNode)k).Value ?? "";
                if (reader.String(v, $"{path}.{service}.{key}") is { } value)
                {
                    dict[key] = value;
                }
            }
            result[service] = dict;
        }
        return result;
    }
}
