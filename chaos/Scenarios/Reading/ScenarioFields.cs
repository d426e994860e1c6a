using System.Text.RegularExpressions;
using Replica.Environments.Compose;
using YamlDotNet.RepresentationModel;

namespace Replica.Chaos.Scenarios.Reading;

/// <summary>What every reader of a scenario's parts shares: required keys and the name pattern.</summary>
internal static partial class ScenarioFields
{
    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    public static partial Regex NamePattern();

    /// <summary>The child at <paramref name="key"/>, or null with a problem saying it is required.</summary>
    public static YamlNode? Required(YamlNodeReader reader, YamlMappingNode map, string key, string path)
    {
        var node = reader.Child(map, key);
        if (node is null)
        {
            reader.Problem(map, $"{path}: '{key}' is required");
        }
        return node;
    }
}
