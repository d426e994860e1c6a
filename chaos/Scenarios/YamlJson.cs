using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Replica.Chaos.Scenarios;

/// <summary>
/// Turns a YAML subtree into JSON (for toxics and edge rules, which are JSON everywhere else), typing plain scalars
/// the way YAML 1.2's core schema does: numbers, true/false, null; quoted scalars stay strings.
/// </summary>
public static class YamlJson
{
    public static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", Convert(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(text);
        }
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return JsonValue.Create(whole);
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !double.IsInfinity(number))
        {
            return JsonValue.Create(number);
        }
        return JsonValue.Create(text);
    }

    /// <summary>The YAML node a dotted JSON field path ("action.delay.ms", "[1].match") points at, for error locations.</summary>
    public static YamlNode Locate(YamlNode root, string fieldPath)
    {
        var node = root;
        foreach (var part in fieldPath.Replace("[", ".[").Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith('[') && node is YamlSequenceNode seq
                && int.TryParse(part.Trim('[', ']'), out var index) && index < seq.Children.Count)
            {
                node = seq.Children[index];
            }
            else if (node is YamlMappingNode map && map.Children.FirstOrDefault(kv => ((YamlScalarNode)kv.Key).Value == part) is { Key: not null } found)
            {
                node = found.Value;
            }
            else
            {
                break;
            }
        }
        return node;
    }
}
