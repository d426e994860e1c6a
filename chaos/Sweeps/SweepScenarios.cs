using Replica.Chaos.Scenarios;
using Replica.Environments.Compose;
using Replica.Environments.Errors;
using YamlDotNet.RepresentationModel;

namespace Replica.Chaos.Sweeps;

/// <summary>
/// The scenario with its swept values set: the file's YAML, parsed once, read again by the scenario loader with each
/// axis' value written in place. Every value is therefore checked exactly as the file would be (a <c>for</c> of 0, an
/// <c>at</c> going backwards), and a problem names the line of the swept key.
/// </summary>
public sealed class SweepScenarios
{
    private readonly YamlFile _file;
    private readonly string? _composeFile;
    private readonly Lock _gate = new();

    public SweepScenarios(YamlFile file, string? composeFile, IReadOnlyList<SweepAxis> axes, IReadOnlyList<(SweepTarget Target, double Value, SweepValueKind Kind)>? held = null)
    {
        _file = file;
        _composeFile = composeFile;
        Axes = axes;
        Held = held ?? [];
    }

    public IReadOnlyList<SweepAxis> Axes { get; }

    /// <summary>Values held fixed for the whole sweep (a sweep's <c>set:</c>).</summary>
    public IReadOnlyList<(SweepTarget Target, double Value, SweepValueKind Kind)> Held { get; }

    /// <summary>
    /// The scenario with <paramref name="values"/> (one per axis) in place; a value the scenario cannot take is a
    /// bad-input error starting with <paramref name="where"/> (the flag, or the sweep's line).
    /// </summary>
    public Scenario At(IReadOnlyList<double> values, string where)
    {
        lock (_gate)
        {
            var added = new List<(YamlMappingNode Map, YamlScalarNode Key)>();
            var restore = new List<(YamlScalarNode Node, string? Value)>();
            try
            {
                var all = Axes.Select((a, i) => (a.Target, Value: values[i], a.Kind)).Concat(Held).ToList();
                foreach (var (target, value, kind) in all)
                {
                    var text = SweepValues.ToScenarioText(value, kind);
                    if (target.Existing is { } node)
                    {
                        restore.Add((node, node.Value));
                        node.Value = text;
                    }
                    else
                    {
                        var key = new YamlScalarNode(target.Key);
                        target.Parent.Children.Add(key, new YamlScalarNode(text));
                        added.Add((target.Parent, key));
                    }
                }
                return ScenarioLoader.Read(_file, _composeFile).Scenario;
            }
            catch (ConfigurationException ex)
            {
                var at = string.Join(", ", Axes.Select((a, i) => $"{a.Path.Text}={a.Format(values[i])}"));
                throw new ReplicaException($"{where}: with {at} the scenario is not valid: {ex.Message}", kind: ReplicaErrorKind.BadInput,
                    hint: "narrow the range to values the scenario can take");
            }
            finally
            {
                foreach (var (node, value) in restore)
                {
                    node.Value = value;
                }
                foreach (var (map, key) in added)
                {
                    map.Children.Remove(key);
                }
            }
        }
    }
}
