using Replica.Environments.Compose;
using YamlDotNet.RepresentationModel;

namespace Replica.Chaos.Sweeps;

/// <summary>
/// Where a path leads in the scenario's YAML: the scalar that holds the value, or the mapping a missing key is added
/// to (a setting a variant does not set, a step's <c>for</c>); the kind of value the path takes; and the line it is on.
/// </summary>
public sealed class SweepTarget
{
    internal SweepTarget(SweepPath path, YamlMappingNode parent, string key, YamlScalarNode? existing, SweepValueKind? kind, SourceLocation location)
    {
        Path = path;
        Parent = parent;
        Key = key;
        Existing = existing;
        Kind = kind;
        Location = location;
    }

    public SweepPath Path { get; }

    /// <summary>The kind the path takes; null when nothing says (a setting not written anywhere yet): the range decides.</summary>
    public SweepValueKind? Kind { get; }

    /// <summary>The line of the value (or of the mapping it will be added to).</summary>
    public SourceLocation Location { get; }

    /// <summary>Whether the value is written in the file (else the sweep adds it).</summary>
    public bool Exists => Existing is not null;

    /// <summary>The value as written (null when the sweep adds it).</summary>
    public string? Original => Existing?.Value;

    internal YamlMappingNode Parent { get; }

    internal string Key { get; }

    internal YamlScalarNode? Existing { get; }
}
