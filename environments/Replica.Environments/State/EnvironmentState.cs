using System.Text.Json.Serialization;
using Replica.Environments.Processes;

namespace Replica.Environments.State;

/// <summary>
/// The state file of one environment (STATE_ROOT/NAME/state.json): who owns it, what it started, where things are.
/// Written atomically at every change, so a killed owner leaves an exact list of what to reap. A collection a file
/// leaves out reads as empty (<see cref="StateJsonContext"/> sets every property, an absent one to null).
/// </summary>
public sealed record EnvironmentState
{
    public required string Name { get; init; }

    public required string ComposeFile { get; init; }

    public required string Runtime { get; init; }

    /// <summary>The process hosting the environment (a foreground `up` or a detached daemon).</summary>
    public required ProcessIdentity Owner { get; init; }

    public bool Detached { get; init; }

    public EnvironmentPhase Phase { get; init; }

    public string? Error { get; init; }

    /// <summary>Data directories of the services; removed on down.</summary>
    public string? WorkDirectory { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public IReadOnlyDictionary<string, ServiceRecord> Services { get; init => field = value ?? new Dictionary<string, ServiceRecord>(); } = new Dictionary<string, ServiceRecord>();

    /// <summary>Every process started for the environment, current or past, for the reaper.</summary>
    public IReadOnlyList<ProcessIdentity> Processes { get; init => field = value ?? []; } = [];

    /// <summary>Each connection a service makes to a dependency (JSON: dependencies), with the address it was given.</summary>
    public IReadOnlyList<DependencyRecord> Dependencies
    {
        get => field.Count == 0 && _previousVersionEdges is { } edges ? edges : field;
        init => field = value ?? [];
    } = [];

    private readonly IReadOnlyList<DependencyRecord>? _previousVersionEdges;

    /// <summary>
    /// The previous version wrote <see cref="Dependencies"/> as "edges": read under that name too, so an environment
    /// it started can still be listed and brought down; never written.
    /// </summary>
    [JsonInclude]
    [JsonPropertyName("edges")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal IReadOnlyList<DependencyRecord>? PreviousVersionEdges
    {
        get => null;
        init => _previousVersionEdges = value;
    }

    /// <summary>Named endpoints of Replica's own servers: "edge", "edge-admin", "toxiproxy-api".</summary>
    public IReadOnlyDictionary<string, string> Endpoints { get; init => field = value ?? new Dictionary<string, string>(); } = new Dictionary<string, string>();

    /// <summary>
    /// Setting overrides per service on top of compose.yaml's environment (`up --set`, `replica set`, a scenario's
    /// variant): what each service's current or next start runs with.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Settings
    {
        get;
        init => field = value ?? new Dictionary<string, IReadOnlyDictionary<string, string>>();
    } = new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>Seeds in use, printed so a run can be repeated.</summary>
    public IReadOnlyDictionary<string, long> Seeds { get; init => field = value ?? new Dictionary<string, long>(); } = new Dictionary<string, long>();
}
