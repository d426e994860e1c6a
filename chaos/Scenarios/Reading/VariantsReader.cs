using Replica.Environments.Compose;
using YamlDotNet.RepresentationModel;

namespace Replica.Chaos.Scenarios.Reading;

/// <summary>Reads <c>variants:</c>: each a name, what it is expected to do (symptom or pass) and its settings.</summary>
internal static class VariantsReader
{
    public static IReadOnlyList<ScenarioVariant> Read(YamlNodeReader reader, YamlMappingNode top, Topology topology)
    {
        var variants = new List<ScenarioVariant>();
        if (ScenarioFields.Required(reader, top, "variants", "scenario") is not { } node || reader.Mapping(node, "variants") is not { } map)
        {
            return variants;
        }
        if (map.Children.Count == 0)
        {
            reader.Problem(node, "variants: give at least one variant (e.g. baseline, fixed)");
        }
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var name = ((YamlScalarNode)keyNode).Value ?? "";
            var path = $"variants.{name}";
            if (!ScenarioFields.NamePattern().IsMatch(name))
            {
                reader.Problem(keyNode, $"{path}: a variant name takes lower-case letters, digits and '-'");
            }
            if (reader.Mapping(valueNode, path) is not { } variant)
            {
                continue;
            }
            reader.CheckKeys(variant, path, ScenarioKeys.Variant);
            var expectation = VariantExpectation.Pass;
            if (ScenarioFields.Required(reader, variant, "expect", path) is { } e)
            {
                switch (reader.String(e, path + ".expect"))
                {
                    case "symptom": expectation = VariantExpectation.Symptom; break;
                    case "pass": expectation = VariantExpectation.Pass; break;
                    case { } other: reader.Problem(e, $"{path}.expect: expected symptom or pass, found '{other}'"); break;
                }
            }
            var description = reader.Child(variant, "description") is { } dn ? reader.String(dn, path + ".description") : null;
            var settings = reader.Child(variant, "settings") is { } sn
                ? SettingsReader.Read(reader, sn, path + ".settings", topology)
                : new Dictionary<string, IReadOnlyDictionary<string, string>>();
            variants.Add(new ScenarioVariant(name, expectation, description, settings));
        }
        return variants;
    }
}
