using Replica.Environments.Compose;
using Replica.Environments.Errors;
using YamlDotNet.RepresentationModel;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>
/// What a <see cref="StepKind"/> reads one step with: the step's node and its common timing (already read), the
/// environment it will run on, the probes, and what the timeline above it holds (names, removals, probes started,
/// edge rule ids), so that impossible timelines are caught at the step that makes them impossible.
/// </summary>
public sealed class StepReadContext
{
    internal StepReadContext(YamlNodeReader reader, Topology topology, IReadOnlyList<ProbeDefinition> probes, List<ConfigurationProblem> warnings)
    {
        Reader = reader;
        Topology = topology;
        Probes = probes;
        Warnings = warnings;
    }

    public YamlNodeReader Reader { get; }

    public Topology Topology { get; }

    public IReadOnlyList<ProbeDefinition> Probes { get; }

    /// <summary>Renamed keys still read: the file loads, and lint and runs show these.</summary>
    public List<ConfigurationProblem> Warnings { get; }

    /// <summary>Where the step is, e.g. "timeline[2]".</summary>
    public string Path { get; internal set; } = "";

    /// <summary>The whole step mapping (for keys beside the kind's, such as <c>wait</c>).</summary>
    public YamlMappingNode Step { get; internal set; } = new();

    /// <summary>The value of the kind's key (e.g. the mapping after <c>toxic:</c>).</summary>
    public YamlNode Value { get; internal set; } = new YamlScalarNode();

    public StepTiming Timing { get; internal set; } = StepTiming.Next(new SourceLocation("", 0, 0));

    /// <summary>Named steps above this one.</summary>
    public Dictionary<string, TimelineStep> Named { get; } = [];

    /// <summary>Names of steps a `remove` above already undid.</summary>
    public HashSet<string> Removed { get; } = [];

    /// <summary>Probes a `probe` step above already started.</summary>
    public HashSet<string> Started { get; } = [];

    /// <summary>Edge rule ids used above (the edge proxy holds one rule per id).</summary>
    public HashSet<string> RuleIds { get; } = [];

    public void Problem(YamlNode node, string message) => Reader.Problem(node, message);

    /// <summary>The step's <c>wait:</c> as a service step reads it (healthy when absent).</summary>
    public ServiceWait ReadServiceWait() => ReadWait(StepKind.ServiceWaits) switch
    {
        "listening" => ServiceWait.Listening,
        "started" => ServiceWait.Started,
        _ => ServiceWait.Healthy,
    };

    /// <summary>The step's <c>wait:</c>, one of <paramref name="values"/>; the first (the default) when absent, or wrong (reported).</summary>
    public string ReadWait(IReadOnlyList<string> values)
    {
        if (Reader.Child(Step, "wait") is not { } node || Reader.String(node, Path + ".wait") is not { } text)
        {
            return values[0];
        }
        if (values.Contains(text))
        {
            return text;
        }
        Problem(node, $"{Path}.wait: expected {string.Join(", ", values.SkipLast(1))} or {values[^1]}, found '{text}'");
        return values[0];
    }

    /// <summary>The value as a service of the compose file; null (with a problem) when it is not one.</summary>
    public string? ReadService(string key)
    {
        if (Reader.String(Value, $"{Path}.{key}") is not { } service)
        {
            return null;
        }
        if (!Topology.Contains(service))
        {
            Problem(Value, $"{Path}.{key}: unknown service '{service}'{KeySuggestion.For(service, Topology.Services.Select(s => s.Name))}");
            return null;
        }
        return service;
    }

    /// <summary>
    /// The service-to-dependency connection a mapping names: <c>dependency:</c>, or its old name <c>edge:</c> (still
    /// read, and reported as renamed: "edge" means only the edge proxy). Null, with a problem, when neither, both, or
    /// an unknown one is given.
    /// </summary>
    public string? ReadDependency(YamlMappingNode map, string path)
    {
        var dependency = Reader.Child(map, "dependency");
        var old = Reader.Child(map, "edge");
        if (dependency is not null && old is not null)
        {
            Problem(old, $"{path}: give 'dependency' only ('edge' is its old name)");
            return null;
        }
        if (old is not null)
        {
            var key = map.Children.Keys.First(k => (k as YamlScalarNode)?.Value == "edge");
            Warnings.Add(new ConfigurationProblem(Reader.At(key),
                $"{path}.edge is renamed {path}.dependency (the old key still works; 'edge' now means only the edge proxy)"));
        }
        if ((dependency ?? old) is not { } node)
        {
            Problem(map, $"{path}: 'dependency' is required (e.g. backend_redis)");
            return null;
        }
        return Reader.String(node, path + ".dependency") is { } name && CheckDependency(node, path + ".dependency", name) ? name : null;
    }

    /// <summary>Whether <paramref name="name"/> is one of the compose file's service-to-dependency connections (a problem naming them if not).</summary>
    public bool CheckDependency(YamlNode node, string path, string name)
    {
        if (Topology.Dependencies.Any(d => d.Name == name))
        {
            return true;
        }
        var names = Topology.Dependencies.Select(d => d.Name).Order(StringComparer.Ordinal).ToList();
        Problem(node, $"{path}: unknown dependency '{name}'{KeySuggestion.For(name, names)}; {Topology.SourceFile} has {(names.Count == 0 ? "none" : string.Join(", ", names))}");
        return false;
    }
}
