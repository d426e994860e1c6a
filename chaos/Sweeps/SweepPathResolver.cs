using System.Globalization;
using Replica.Environments.Compose;
using Replica.Environments.Errors;
using YamlDotNet.RepresentationModel;

namespace Replica.Chaos.Sweeps;

/// <summary>
/// Follows a <see cref="SweepPath"/> into a scenario's YAML and says what kind of value it reaches. A path that leads
/// nowhere is a bad-input error naming the nearest valid paths of this scenario.
/// </summary>
public static class SweepPathResolver
{
    private static readonly HashSet<string> TimingKeys = ["at", "after", "for"];

    public static SweepTarget Resolve(YamlFile file, SweepPath path, string where)
    {
        if (file.Root is not YamlMappingNode root)
        {
            throw Unknown(file, path, where, "the scenario is not a mapping");
        }
        if (!SweepPath.Roots.Contains(path.Segments[0]))
        {
            throw Unknown(file, path, where, $"a sweep varies a value under {string.Join(", ", SweepPath.Roots)}, not '{path.Segments[0]}'");
        }
        YamlNode node = root;
        var trail = new List<string>();
        for (var i = 0; i < path.Segments.Count; i++)
        {
            var segment = path.Segments[i];
            var last = i == path.Segments.Count - 1;
            var here = trail.Count == 0 ? "the scenario" : string.Join('.', trail).Replace(".[", "[", StringComparison.Ordinal);
            switch (node)
            {
                case YamlMappingNode map:
                {
                    if (segment.StartsWith('['))
                    {
                        throw Unknown(file, path, where, $"{here} is a mapping, not a list");
                    }
                    var child = map.Children.FirstOrDefault(c => c.Key is YamlScalarNode k && k.Value == segment).Value;
                    if (child is null)
                    {
                        if (last && AddedKind(trail, segment) is { } added)
                        {
                            return new SweepTarget(path, map, segment, null, added.Kind, Location(file, map));
                        }
                        throw Unknown(file, path, where, $"{here} has no '{segment}'");
                    }
                    node = child;
                    break;
                }
                case YamlSequenceNode list:
                {
                    YamlNode? item = null;
                    if (segment.StartsWith('['))
                    {
                        var index = int.Parse(segment[1..^1], CultureInfo.InvariantCulture);
                        item = index < list.Children.Count ? list.Children[index] : null;
                        if (item is null)
                        {
                            throw Unknown(file, path, where, $"{here} has {list.Children.Count} entries, counted from 0");
                        }
                    }
                    else
                    {
                        item = list.Children.OfType<YamlMappingNode>().FirstOrDefault(m =>
                            m.Children.Any(c => c.Key is YamlScalarNode { Value: "name" } && c.Value is YamlScalarNode v && v.Value == segment));
                        if (item is null)
                        {
                            throw Unknown(file, path, where, $"{here} has no entry named '{segment}'");
                        }
                    }
                    node = item;
                    break;
                }
                default:
                    throw Unknown(file, path, where, $"{here} is a value, not a mapping or a list");
            }
            trail.Add(segment);
        }
        if (node is not YamlScalarNode scalar)
        {
            throw Unknown(file, path, where, $"{path.Text} is a {(node is YamlSequenceNode ? "list" : "mapping")}, not one value");
        }
        var kind = KindOf(trail, scalar.Value ?? "");
        if (kind is null)
        {
            throw new ReplicaException($"{where}: {Location(file, scalar)}: {path.Text} is '{scalar.Value}', not a number or a duration: a sweep varies numbers and durations",
                kind: ReplicaErrorKind.BadInput);
        }
        return new SweepTarget(path, FindParent(root, scalar)!, path.Leaf, scalar, kind, Location(file, scalar));
    }

    /// <summary>Every path of this scenario a sweep can vary (numbers and durations, and each step's timing).</summary>
    public static IReadOnlyList<string> ValidPaths(YamlFile file)
    {
        var paths = new List<string>();
        if (file.Root is YamlMappingNode root)
        {
            foreach (var (key, value) in root.Children)
            {
                if (key is YamlScalarNode { Value: { } name } && SweepPath.Roots.Contains(name))
                {
                    Walk(value, [name], paths);
                }
            }
        }
        return paths.Distinct().ToList();
    }

    private static void Walk(YamlNode node, List<string> trail, List<string> paths)
    {
        switch (node)
        {
            case YamlScalarNode scalar when KindOf(trail, scalar.Value ?? "") is not null:
                paths.Add(Join(trail));
                break;
            case YamlMappingNode map:
                if (trail.Count == 2 && trail[0] == "timeline")
                {
                    paths.AddRange(TimingKeys.Select(k => Join([.. trail, k])));
                }
                foreach (var (key, value) in map.Children)
                {
                    if (key is YamlScalarNode { Value: { } name })
                    {
                        Walk(value, [.. trail, name], paths);
                    }
                }
                break;
            case YamlSequenceNode list:
                for (var i = 0; i < list.Children.Count; i++)
                {
                    var item = list.Children[i];
                    Walk(item, [.. trail, $"[{i}]"], paths);
                    if (item is YamlMappingNode m && m.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "name" }).Value is YamlScalarNode { Value: { } named })
                    {
                        Walk(item, [.. trail, named], paths);
                    }
                }
                break;
        }
    }

    private static string Join(IEnumerable<string> trail) => string.Join('.', trail).Replace(".[", "[", StringComparison.Ordinal);

    /// <summary>The kind a written value takes; null when it is neither a number nor a duration.</summary>
    private static SweepValueKind? KindOf(IReadOnlyList<string> trail, string value)
    {
        if (trail.Count == 3 && trail[0] == "timeline" && TimingKeys.Contains(trail[2]))
        {
            return SweepValueKind.Duration;
        }
        if (trail.Count >= 2 && trail[^2] == "attributes")
        {
            return SweepValueKind.Number;
        }
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            return SweepValueKind.Number;
        }
        return ComposeDuration.TryParse(value, out _) ? SweepValueKind.Duration : null;
    }

    /// <summary>A key the sweep may add when the file does not write it: a setting, a step's timing, a toxic's attribute.</summary>
    private static (SweepValueKind? Kind, bool Ok)? AddedKind(IReadOnlyList<string> trail, string key)
    {
        var isSetting = (trail.Count == 2 && trail[0] == "settings") || (trail.Count == 4 && trail[0] == "variants" && trail[2] == "settings");
        if (isSetting)
        {
            return (null, true);
        }
        if (trail.Count == 2 && trail[0] == "timeline" && TimingKeys.Contains(key))
        {
            return (SweepValueKind.Duration, true);
        }
        if (trail.Count >= 1 && trail[^1] == "attributes")
        {
            return (SweepValueKind.Number, true);
        }
        return null;
    }

    private static YamlMappingNode? FindParent(YamlNode node, YamlNode target)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (_, value) in map.Children)
                {
                    if (ReferenceEquals(value, target))
                    {
                        return map;
                    }
                    if (FindParent(value, target) is { } found)
                    {
                        return found;
                    }
                }
                break;
            case YamlSequenceNode list:
                foreach (var item in list.Children)
                {
                    if (FindParent(item, target) is { } found)
                    {
                        return found;
                    }
                }
                break;
        }
        return null;
    }

    private static SourceLocation Location(YamlFile file, YamlNode node) => new(file.DisplayName, (int)node.Start.Line, (int)node.Start.Column);

    private static ReplicaException Unknown(YamlFile file, SweepPath path, string where, string why)
    {
        var nearest = Nearest(path.Text, ValidPaths(file), 3);
        return new ReplicaException($"{where}: unknown path '{path.Text}' in {file.DisplayName}: {why}" +
                                    (nearest.Count > 0 ? $"; nearest valid paths: {string.Join(", ", nearest)}" : ""),
            kind: ReplicaErrorKind.BadInput,
            hint: "paths use the file's keys: timeline[N].after or timeline.STEP-NAME.for, settings.SERVICE.KEY, variants.NAME.settings.SERVICE.KEY");
    }

    /// <summary>The <paramref name="count"/> paths closest to <paramref name="typed"/> by edit distance.</summary>
    public static IReadOnlyList<string> Nearest(string typed, IEnumerable<string> known, int count) =>
        known.Select(k => (Path: k, Distance: Distance(typed.ToLowerInvariant(), k.ToLowerInvariant())))
            .OrderBy(x => x.Distance).ThenBy(x => x.Path, StringComparer.Ordinal)
            .Take(count).Select(x => x.Path).ToList();

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
