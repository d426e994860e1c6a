using System.Globalization;
using Replica.Environments.Errors;
using YamlDotNet.RepresentationModel;

namespace Replica.Environments.Compose;

/// <summary>
/// Typed reads from a YAML tree that record a problem (with file:line:column) instead of throwing, so one pass over
/// a file reports everything wrong with it. Shared by the compose loader and the scenario loader.
/// </summary>
public sealed class YamlNodeReader
{
    private readonly List<ConfigurationProblem> _problems = [];

    public YamlNodeReader(string file, ComposeInterpolation? interpolation = null)
    {
        File = file;
        Interpolation = interpolation;
    }

    public string File { get; }

    public ComposeInterpolation? Interpolation { get; }

    public IReadOnlyList<ConfigurationProblem> Problems => _problems;

    public SourceLocation At(YamlNode node) => new(File, (int)node.Start.Line, (int)node.Start.Column);

    public void Problem(YamlNode node, string message) => _problems.Add(new ConfigurationProblem(At(node), message));

    public void Problem(SourceLocation location, string message) => _problems.Add(new ConfigurationProblem(location, message));

    public void ThrowIfAny()
    {
        if (_problems.Count > 0)
        {
            throw new ConfigurationException(_problems.OrderBy(p => p.Location.Line).ThenBy(p => p.Location.Column).ToList());
        }
    }

    /// <summary>Reports every key of <paramref name="map"/> that is neither known nor an x- extension.</summary>
    public void CheckKeys(YamlMappingNode map, string path, IReadOnlyCollection<string> known)
    {
        foreach (var (keyNode, _) in map.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!known.Contains(key) && !key.StartsWith("x-", StringComparison.Ordinal))
            {
                Problem(keyNode, $"{path}: unknown key '{key}'{KeySuggestion.For(key, known)}");
            }
        }
    }

    /// <summary>A mapping key as a name; a problem (and null) when it is a list or a mapping.</summary>
    public string? Key(YamlNode key, string path)
    {
        if (key is YamlScalarNode scalar)
        {
            return scalar.Value ?? "";
        }
        Problem(key, $"{path}: expected a name as key, found {Describe(key)}");
        return null;
    }

    public YamlMappingNode? Mapping(YamlNode node, string path)
    {
        if (node is YamlMappingNode map)
        {
            return map;
        }
        Problem(node, $"{path}: expected a mapping, found {Describe(node)}");
        return null;
    }

    public YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>
    /// The string at <paramref name="node"/> as a full path, relative ones taken from <paramref name="directory"/>;
    /// null, with a problem reported, when it is not a string or cannot be a path (a NUL character).
    /// </summary>
    public string? FullPath(YamlNode node, string path, string directory) =>
        String(node, path) is { } value ? FullPath(node, path, value, directory) : null;

    /// <summary>As <see cref="FullPath(YamlNode, string, string)"/>, for a <paramref name="value"/> already read from <paramref name="node"/>.</summary>
    public string? FullPath(YamlNode node, string path, string value, string directory)
    {
        if (value.Contains('\0'))
        {
            Problem(node, $"{path}: expected a file or directory path; this one contains a NUL character");
            return null;
        }
        return System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, value));
    }

    public string? String(YamlNode node, string path)
    {
        if (node is not YamlScalarNode scalar)
        {
            Problem(node, $"{path}: expected a string, found {Describe(node)}");
            return null;
        }
        var raw = scalar.Value ?? "";
        if (Interpolation is null)
        {
            return raw;
        }
        var expanded = Interpolation.Expand(raw, out var error);
        if (expanded is null)
        {
            Problem(node, $"{path}: {error}");
        }
        return expanded;
    }

    public int? Int(YamlNode node, string path, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = String(node, path);
        if (text is null)
        {
            return null;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Problem(node, $"{path}: expected a whole number{Range(min, max)}, found '{text}'");
            return null;
        }
        return value;
    }

    public double? Number(YamlNode node, string path, double min = double.MinValue, double max = double.MaxValue)
    {
        var text = String(node, path);
        if (text is null)
        {
            return null;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Problem(node, $"{path}: expected a number{Range(min, max)}, found '{text}'");
            return null;
        }
        return value;
    }

    public bool? Bool(YamlNode node, string path)
    {
        var text = String(node, path);
        switch (text?.ToLowerInvariant())
        {
            case null: return null;
            case "true" or "yes" or "on": return true;
            case "false" or "no" or "off": return false;
            default:
                Problem(node, $"{path}: expected true or false, found '{text}'");
                return null;
        }
    }

    /// <summary>The longest duration a file may give: a year (longer ones would overflow deadlines).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(365);

    /// <summary>A duration such as "1m30s" or "500ms"; a bare number is taken as seconds.</summary>
    public TimeSpan? Duration(YamlNode node, string path)
    {
        var text = String(node, path);
        if (text is null)
        {
            return null;
        }
        TimeSpan? value = ComposeDuration.TryParse(text, out var parsed) ? parsed
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
                ? (seconds <= MaxDuration.TotalSeconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.MaxValue)
                : null;
        if (value is null)
        {
            Problem(node, $"{path}: expected a duration such as 500ms, 10s or 1m30s, found '{text}'");
        }
        else if (value > MaxDuration)
        {
            Problem(node, $"{path}: a duration can be at most {MaxDuration.TotalHours:0}h, found '{text}'");
            value = null;
        }
        return value;
    }

    /// <summary>A list of strings, or a single string split like a shell would (compose's command: form).</summary>
    public IReadOnlyList<string>? StringOrList(YamlNode node, string path)
    {
        if (node is YamlSequenceNode seq)
        {
            var items = new List<string>();
            var i = 0;
            foreach (var item in seq.Children)
            {
                var s = String(item, $"{path}[{i++}]");
                if (s is not null)
                {
                    items.Add(s);
                }
            }
            return items;
        }
        var text = String(node, path);
        return text is null ? null : ShellWords.Split(text);
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s when string.IsNullOrEmpty(s.Value) => "nothing",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "something else",
    };

    private static string Range(double min, double max) =>
        (min, max) switch
        {
            (double.MinValue or int.MinValue, double.MaxValue or int.MaxValue) => "",
            (_, double.MaxValue or int.MaxValue) => $" ≥ {min.ToString(CultureInfo.InvariantCulture)}",
            _ => $" from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}",
        };
}
