using Replica.Environments.Compose;
using Replica.Environments.Errors;
using YamlDotNet.RepresentationModel;

namespace Replica.Chaos.Sweeps;

/// <summary>
/// Reads a scenario's <c>sweeps:</c>: named sweeps, each <c>vary:</c> (PATH: RANGE, one or two), <c>runs:</c>,
/// <c>variants:</c> and <c>expect:</c>. Problems name file:line:column.
/// </summary>
public static class SweepFileReader
{
    private static readonly HashSet<string> Keys = ["description", "label", "vary", "set", "runs", "variants", "expect"];
    private static readonly HashSet<string> ExpectKeys = ["boundary_at_least", "boundary_at_most", "same_boundary_as", "no_boundary", "max_failures"];

    /// <summary>The sweeps of the file, by name (empty when it has none).</summary>
    public static IReadOnlyDictionary<string, SweepDefinition> Read(YamlFile file)
    {
        var reader = new YamlNodeReader(file.DisplayName);
        var result = new Dictionary<string, SweepDefinition>(StringComparer.Ordinal);
        if (file.Root is not YamlMappingNode top || reader.Child(top, "sweeps") is not { } node)
        {
            return result;
        }
        if (reader.Mapping(node, "sweeps") is not { } sweeps)
        {
            reader.ThrowIfAny();
            return result;
        }
        foreach (var (keyNode, value) in sweeps.Children)
        {
            var name = ((YamlScalarNode)keyNode).Value ?? "";
            var path = $"sweeps.{name}";
            if (reader.Mapping(value, path) is not { } sweep)
            {
                continue;
            }
            reader.CheckKeys(sweep, path, Keys);
            var description = reader.Child(sweep, "description") is { } d ? reader.String(d, path + ".description") : null;
            var label = reader.Child(sweep, "label") is { } l ? reader.String(l, path + ".label") : null;
            var varies = new List<SweepDefinition.Vary>();
            if (reader.Child(sweep, "vary") is not { } varyNode)
            {
                reader.Problem(sweep, $"{path}: 'vary' is required (PATH: RANGE, e.g. timeline[3].after: auto:0ms..2s)");
            }
            else if (reader.Mapping(varyNode, path + ".vary") is { } vary)
            {
                foreach (var (p, r) in vary.Children)
                {
                    if (reader.String(r, $"{path}.vary.{((YamlScalarNode)p).Value}") is { } range)
                    {
                        varies.Add(new SweepDefinition.Vary(((YamlScalarNode)p).Value ?? "", range, $"{reader.At(p)}: {path}.vary"));
                    }
                }
                if (varies.Count is 0 or > 2)
                {
                    reader.Problem(varyNode, $"{path}.vary: one or two PATH: RANGE entries, found {varies.Count}");
                }
            }
            var sets = new List<SweepDefinition.Vary>();
            if (reader.Child(sweep, "set") is { } setNode && reader.Mapping(setNode, path + ".set") is { } set)
            {
                foreach (var (p, v) in set.Children)
                {
                    if (reader.String(v, $"{path}.set.{((YamlScalarNode)p).Value}") is { } held)
                    {
                        sets.Add(new SweepDefinition.Vary(((YamlScalarNode)p).Value ?? "", held, $"{reader.At(p)}: {path}.set"));
                    }
                }
            }
            var runs = reader.Child(sweep, "runs") is { } rn ? reader.Int(rn, path + ".runs", 1, 1000) : null;
            var variants = reader.Child(sweep, "variants") is { } vn ? reader.StringOrList(vn, path + ".variants") : null;
            var expectations = new List<SweepDefinition.Expect>();
            if (reader.Child(sweep, "expect") is { } en && reader.Mapping(en, path + ".expect") is { } expect)
            {
                foreach (var (variantNode, rulesNode) in expect.Children)
                {
                    var variant = ((YamlScalarNode)variantNode).Value ?? "";
                    if (reader.Mapping(rulesNode, $"{path}.expect.{variant}") is not { } rules)
                    {
                        continue;
                    }
                    reader.CheckKeys(rules, $"{path}.expect.{variant}", ExpectKeys);
                    foreach (var (k, v) in rules.Children)
                    {
                        var key = ((YamlScalarNode)k).Value ?? "";
                        if (ExpectKeys.Contains(key) && reader.String(v, $"{path}.expect.{variant}.{key}") is { } text)
                        {
                            expectations.Add(new SweepDefinition.Expect(variant, key, text, $"{reader.At(k)}: {path}.expect.{variant}.{key}"));
                        }
                    }
                }
            }
            result[name] = new SweepDefinition(name, description, varies, runs, variants, expectations) { Sets = sets, Label = label };
        }
        reader.ThrowIfAny();
        return result;
    }

    /// <summary>The sweep called <paramref name="name"/>; an unknown name is bad input naming the ones the file has.</summary>
    public static SweepDefinition Named(YamlFile file, string name)
    {
        var sweeps = Read(file);
        if (sweeps.TryGetValue(name, out var found))
        {
            return found;
        }
        throw new ReplicaException(
            sweeps.Count == 0
                ? $"{file.DisplayName}: no sweeps: in this scenario, so no sweep '{name}'; give --vary PATH=RANGE"
                : $"{file.DisplayName}: no sweep '{name}'{KeySuggestion.For(name, sweeps.Keys)}; it has {string.Join(", ", sweeps.Keys)}",
            kind: ReplicaErrorKind.BadInput);
    }
}
