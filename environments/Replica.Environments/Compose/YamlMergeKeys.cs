using Replica.Environments.Errors;
using YamlDotNet.RepresentationModel;

namespace Replica.Environments.Compose;

/// <summary>
/// YAML merge keys as Compose reads them: in a mapping, <c>&lt;&lt;: *anchor</c> (or a list of aliases) adds every key
/// of the merged mappings that the mapping does not set itself, earlier aliases first; the <c>&lt;&lt;</c> entry goes.
/// Applied to the loaded node graph, where aliases are already their anchored nodes — YamlDotNet's MergingParser
/// does the same on the event stream, but hangs on some damaged files (found by the fuzz tier).
/// </summary>
internal static class YamlMergeKeys
{
    private static readonly YamlScalarNode MergeKey = new("<<");

    /// <summary>Merges in place; a <c>&lt;&lt;</c> whose value is not a mapping (or a list of them) is a problem at its key.</summary>
    public static void Apply(YamlNode root, string displayName)
    {
        var problems = new List<ConfigurationProblem>();
        Visit(root, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance), displayName, problems);
        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }
    }

    private static void Visit(YamlNode node, HashSet<YamlNode> done, string file, List<ConfigurationProblem> problems)
    {
        if (!done.Add(node))
        {
            return;
        }
        switch (node)
        {
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children)
                {
                    Visit(item, done, file, problems);
                }
                break;
            case YamlMappingNode mapping:
                foreach (var value in mapping.Children.Values.ToList())
                {
                    Visit(value, done, file, problems);
                }
                var mergeKey = mapping.Children.Keys.FirstOrDefault(k => k.Equals(MergeKey) && k is YamlScalarNode { Style: not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted) });
                if (mergeKey is null)
                {
                    break;
                }
                var merged = mapping.Children[mergeKey];
                mapping.Children.Remove(mergeKey);
                var sources = merged is YamlSequenceNode list ? list.Children.ToList() : [merged];
                foreach (var source in sources)
                {
                    if (source is not YamlMappingNode from)
                    {
                        problems.Add(new ConfigurationProblem(new SourceLocation(file, (int)mergeKey.Start.Line, (int)mergeKey.Start.Column),
                            "<<: a merge key takes an alias of a mapping (<<: *name) or a list of them"));
                        continue;
                    }
                    foreach (var (key, value) in from.Children)
                    {
                        if (!mapping.Children.ContainsKey(key))
                        {
                            mapping.Children.Add(key, value);
                        }
                    }
                }
                break;
        }
    }
}
