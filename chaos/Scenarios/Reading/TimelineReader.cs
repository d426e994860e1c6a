using Replica.Chaos.Scenarios.Steps;
using Replica.Environments.Compose;
using Replica.Environments.Errors;
using YamlDotNet.RepresentationModel;

namespace Replica.Chaos.Scenarios.Reading;

/// <summary>
/// Reads <c>timeline:</c>: for each step its timing (name, at, after, for), then the one step kind it names, read by
/// that kind (<see cref="StepKinds"/>); then follows every service's state down the timeline to catch impossible
/// steps. Every problem is reported with its line, all at once.
/// </summary>
internal static class TimelineReader
{
    public static IReadOnlyList<TimelineStep> Read(YamlNodeReader reader, YamlMappingNode top, Topology topology,
        IReadOnlyList<ProbeDefinition> probes, List<ConfigurationProblem> warnings)
    {
        var steps = new List<TimelineStep>();
        if (reader.Child(top, "timeline") is not { } node)
        {
            return steps;
        }
        if (node is not YamlSequenceNode list)
        {
            reader.Problem(node, "timeline: expected a list of steps");
            return steps;
        }
        var context = new StepReadContext(reader, topology, probes, warnings);
        TimeSpan? lastAt = null;
        var i = 0;
        foreach (var item in list.Children)
        {
            var path = $"timeline[{i++}]";
            if (reader.Mapping(item, path) is not { } step)
            {
                continue;
            }
            reader.CheckKeys(step, path, ScenarioKeys.TimelineStep);
            var timing = ReadTiming(reader, step, item, path, context.Named, ref lastAt);
            var kinds = step.Children.Keys.OfType<YamlScalarNode>().Select(k => StepKinds.Find(k.Value!)).OfType<StepKind>().ToList();
            if (kinds.Count != 1)
            {
                reader.Problem(item, $"{path}: give exactly one of {string.Join(", ", StepKinds.Keys)}");
                continue;
            }
            var kind = kinds[0];
            if (reader.Child(step, "wait") is { } waitNode && kind.Waits.Count == 0)
            {
                reader.Problem(waitNode, $"{path}.wait: only {string.Join(", ", StepKinds.All.Where(k => k.Waits.Count > 0).Select(k => k.Key))} wait");
            }
            if (timing.For is not null && !kind.TimedUndo)
            {
                reader.Problem(reader.Child(step, "for")!, kind.Value == "SERVICE"
                    ? $"{path}.for: only {string.Join(" and ", StepKinds.All.Where(k => k.TimedUndo && k.Value == "SERVICE").Select(k => k.Key).Order(StringComparer.Ordinal))} can be undone after a while (resume, start); drop 'for' or add a separate step"
                    : $"{path}.for: a {kind.Key} step cannot be undone");
            }
            context.Path = path;
            context.Step = step;
            context.Value = reader.Child(step, kind.Key)!;
            context.Timing = timing;
            if (kind.Read(context) is { } read)
            {
                steps.Add(read);
                if (timing.Name is { } name)
                {
                    context.Named.TryAdd(name, read);
                }
            }
        }
        CheckServiceStates(reader, steps);
        return steps;
    }

    private static StepTiming ReadTiming(YamlNodeReader reader, YamlMappingNode step, YamlNode item, string path,
        IReadOnlyDictionary<string, TimelineStep> named, ref TimeSpan? lastAt)
    {
        var name = reader.Child(step, "name") is { } nameNode ? reader.String(nameNode, path + ".name") : null;
        if (name is not null && named.ContainsKey(name))
        {
            reader.Problem(reader.Child(step, "name")!, $"{path}.name: another step is called '{name}'");
        }
        TimeSpan? at = reader.Child(step, "at") is { } atNode ? reader.Duration(atNode, path + ".at") : null;
        var after = reader.Child(step, "after") is { } afterNode ? reader.Duration(afterNode, path + ".after") ?? TimeSpan.Zero : TimeSpan.Zero;
        if (at is not null && reader.Child(step, "after") is { } both)
        {
            reader.Problem(both, $"{path}: give 'at' (from the run's start) or 'after' (from the previous step), not both");
        }
        if (at is { } a && lastAt is { } previous && a < previous)
        {
            reader.Problem(reader.Child(step, "at")!, $"impossible timeline: {path} is at {a.TotalMilliseconds:0} ms, before the step at {previous.TotalMilliseconds:0} ms above it (steps run in order)");
        }
        lastAt = at ?? lastAt;
        TimeSpan? @for = reader.Child(step, "for") is { } forNode ? reader.Duration(forNode, path + ".for") : null;
        if (@for is { } f && f <= TimeSpan.Zero)
        {
            reader.Problem(reader.Child(step, "for")!, $"{path}.for: must be longer than 0");
        }
        return new StepTiming(name, at, after, @for, reader.At(item));
    }

    /// <summary>
    /// Walks the timeline in order, following each service's state (a <c>for</c> undo counts as done by the next step
    /// that touches the service), so impossible steps — resuming a service that is not paused — are caught now.
    /// </summary>
    private static void CheckServiceStates(YamlNodeReader reader, IReadOnlyList<TimelineStep> steps)
    {
        var states = new Dictionary<string, ServiceState>();
        foreach (var step in steps.OfType<ServiceStep>())
        {
            var state = states.GetValueOrDefault(step.Service, ServiceState.Running);
            if (step.Impossible(state) is { } problem)
            {
                reader.Problem(step.Location, $"impossible timeline: the step {problem}");
            }
            states[step.Service] = step.For is not null ? ServiceState.Running : step.StateAfter(state);
        }
    }
}
