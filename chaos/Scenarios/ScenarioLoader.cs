using Replica.Chaos.Scenarios.Reading;
using Replica.Environments.Compose;
using Replica.Environments.Errors;
using YamlDotNet.RepresentationModel;

namespace Replica.Chaos.Scenarios;

/// <summary>
/// Reads a scenario file and checks it against the environment it runs in, before anything starts: unknown keys,
/// wrong types, unknown services and dependencies, toxics and edge rules their own parsers reject, and impossible
/// timelines (resuming a service that is not paused…) — every problem with file:line:column, all at once. A
/// dispatcher: each part of the file has its reader (Reading/), each timeline step its kind (Steps/).
/// </summary>
public static class ScenarioLoader
{
    /// <summary>
    /// Reads the scenario at <paramref name="path"/> and the compose file it runs on: <paramref name="composeFile"/>
    /// when given (the CLI's <c>-f</c>), else the scenario's <c>compose:</c> (relative to the scenario), else the
    /// nearest compose.yaml above the scenario, else the nearest above the current directory.
    /// </summary>
    public static (Scenario Scenario, Topology Topology) Load(string path, string? composeFile = null)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new ReplicaException($"scenario file not found: {path}", kind: ReplicaErrorKind.BadInput,
                hint: "scenarios live in chaos/scenarios/; `replica verify --list` names them");
        }
        return Read(YamlFile.Load(fullPath), composeFile);
    }

    /// <summary>
    /// Reads a scenario from a file already parsed: what <see cref="Load"/> does after parsing. A sweep reads the same
    /// tree again with one value changed (Sweeps/), so every value it tries is checked exactly as a file would be, and
    /// problems keep their lines.
    /// </summary>
    public static (Scenario Scenario, Topology Topology) Read(YamlFile file, string? composeFile = null)
    {
        var fullPath = file.FullPath;
        var reader = new YamlNodeReader(file.DisplayName);
        if (file.Root is not YamlMappingNode top)
        {
            reader.Problem(file.Root, "expected a mapping with name, incident, symptom, variants, timeline and probes");
            reader.ThrowIfAny();
            throw new InvalidOperationException();
        }
        reader.CheckKeys(top, "scenario", ScenarioKeys.Top);
        var composePath = ComposeFileLocator.Locate(reader, top, fullPath, composeFile);
        if (composePath is null)
        {
            reader.ThrowIfAny();
        }
        var topology = ComposeLoader.Load(composePath!);

        var name = ScenarioFields.Required(reader, top, "name", "scenario") is { } n ? reader.String(n, "name") ?? "" : "";
        if (name.Length > 0 && !ScenarioFields.NamePattern().IsMatch(name))
        {
            reader.Problem(reader.Child(top, "name")!, $"name: lower-case letters, digits and '-' only, found '{name}'");
        }
        var description = reader.Child(top, "description") is { } d ? reader.String(d, "description") : null;
        var incident = IncidentReader.Read(reader, top);
        var runs = reader.Child(top, "runs") is { } r ? reader.Int(r, "runs", 1, 10000) ?? 20 : 20;
        var (network, networkLocation) = reader.Child(top, "network") is { } net ? NetworkReader.Read(reader, net, topology) : (null, null);
        var settings = reader.Child(top, "settings") is { } s
            ? SettingsReader.Read(reader, s, "settings", topology)
            : new Dictionary<string, IReadOnlyDictionary<string, string>>();
        var symptom = SymptomReader.Read(reader, top);
        var auth = reader.Child(top, "auth") is { } a ? AuthReader.Read(reader, a, topology) : null;
        var variants = VariantsReader.Read(reader, top, topology);
        var probes = ProbesReader.Read(reader, top, topology, auth is not null);
        var warnings = new List<ConfigurationProblem>();
        var timeline = TimelineReader.Read(reader, top, topology, probes, warnings);
        reader.ThrowIfAny();

        return (new Scenario(name, description, incident!, file.DisplayName, composePath!, runs, settings, symptom!, auth, variants, timeline, probes)
        {
            Network = network,
            NetworkLocation = networkLocation,
            Warnings = warnings,
        }, topology);
    }
}
