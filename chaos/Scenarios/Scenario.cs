namespace Replica.Chaos.Scenarios;

/// <summary>
/// A reproducible incident (chaos/scenarios/*.yaml): the environment's settings, a timeline of faults and lifecycle
/// steps, the probes that watch, the symptom staging showed, and variants that differ only in settings.
/// </summary>
public sealed record Scenario(
    string Name,
    string? Description,
    ScenarioIncident Incident,
    string SourceFile,
    string ComposeFile,
    int DefaultRuns,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Settings,
    Symptom Symptom,
    TokenRequest? Auth,
    IReadOnlyList<ScenarioVariant> Variants,
    IReadOnlyList<Steps.TimelineStep> Timeline,
    IReadOnlyList<ProbeDefinition> Probes)
{
    /// <summary>The network profile the scenario runs under (`network:`), overriding compose.yaml's; null: compose.yaml's.</summary>
    public string? Network { get; init; }

    /// <summary>Where <see cref="Network"/> is written, for errors that name it.</summary>
    public Replica.Environments.Compose.SourceLocation? NetworkLocation { get; init; }

    /// <summary>What the file still says the old way (a renamed key): it loads, and lint and runs say what to write instead.</summary>
    public IReadOnlyList<Replica.Environments.Errors.ConfigurationProblem> Warnings { get; init; } = [];

    public ScenarioVariant Variant(string name) =>
        Variants.FirstOrDefault(v => v.Name == name) ?? throw new Replica.Environments.Errors.ReplicaException(
            $"scenario '{Name}' has no variant '{name}'; it has {string.Join(", ", Variants.Select(v => v.Name))}", kind: Replica.Environments.Errors.ReplicaErrorKind.BadInput);

    /// <summary>The settings of <paramref name="variant"/>: the scenario's, overridden by the variant's.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> SettingsFor(ScenarioVariant variant)
    {
        var merged = Settings.ToDictionary(s => s.Key, s => new Dictionary<string, string>(s.Value));
        foreach (var (service, values) in variant.Settings)
        {
            if (!merged.TryGetValue(service, out var target))
            {
                merged[service] = target = [];
            }
            foreach (var (key, value) in values)
            {
                target[key] = value;
            }
        }
        return merged.ToDictionary(s => s.Key, s => (IReadOnlyDictionary<string, string>)s.Value);
    }

    /// <summary>Services the timeline starts, stops or restarts, or whose settings differ between variants: what a run must restore.</summary>
    public IReadOnlySet<string> TouchedServices =>
        Timeline.OfType<Steps.ServiceStep>().Where(s => s is not Steps.AwaitStep).Select(s => s.Service)
            .Concat(Variants.SelectMany(v => v.Settings.Keys))
            .Concat(Settings.Keys)
            .ToHashSet();
}
