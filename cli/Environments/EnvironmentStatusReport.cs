using Replica.Environments.HealthChecks;
using Replica.Environments.Hosting;
using Replica.Environments.Processes;
using Replica.Environments.Runtimes;
using Replica.Environments.State;

namespace Replica.Cli.Environments;

/// <summary>What `replica status` shows: the state file, checked live (processes alive, health checks run now).</summary>
internal sealed record EnvironmentStatusReport(
    string Name,
    bool Up,
    string? Runtime,
    string? Phase,
    int? OwnerPid,
    bool Detached,
    string? ComposeFile,
    IReadOnlyList<ServiceStatusReport> Services,
    IReadOnlyList<DependencyRecord> Dependencies,
    IReadOnlyDictionary<string, string> Endpoints,
    IReadOnlyDictionary<string, long> Seeds,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Settings)
{
    public static EnvironmentStatusReport NotUp(string name) =>
        new(name, false, null, null, null, false, null, [], [], new Dictionary<string, string>(), new Dictionary<string, long>(),
            new Dictionary<string, IReadOnlyDictionary<string, string>>());

    public static async Task<EnvironmentStatusReport> BuildAsync(EnvironmentState state, CancellationToken cancellationToken)
    {
        var ownerAlive = StateStore.IsOwnerAlive(state);
        var rows = await Task.WhenAll(state.Services.Values.Select(s => RowAsync(s, ownerAlive, cancellationToken)));
        return new EnvironmentStatusReport(
            state.Name,
            ownerAlive && state.Phase == EnvironmentPhase.Up,
            state.Runtime,
            ownerAlive ? state.Phase.ToString().ToLowerInvariant() : "orphaned",
            state.Owner.Pid,
            state.Detached,
            state.ComposeFile,
            rows.OrderBy(r => r.Name, StringComparer.Ordinal).ToList(),
            state.Dependencies,
            state.Endpoints,
            state.Seeds,
            state.Settings);
    }

    private static async Task<ServiceStatusReport> RowAsync(ServiceRecord s, bool ownerAlive, CancellationToken cancellationToken)
    {
        var processState = s.Process is { } p && p.IsAlive ? ProcessIdentity.StateOf(p.Pid) : null;
        var state = s.Process is null && s.ContainerId is null ? (s.Status is "stopped" or "exited" ? s.Status : "pending")
            : processState is null ? (s.ContainerId is not null && ownerAlive ? "running" : "exited")
            : processState == 'T' ? "paused"
            : "running";
        var health = "-";
        string? detail = null;
        var checkPort = s.HealthCheck.ContainerPort?.ToString() ?? s.Endpoints.Keys.FirstOrDefault();
        if (state == "running" && checkPort is not null && s.Endpoints.TryGetValue(checkPort, out var endpointText)
            && HealthCheckFactory.Create(s.HealthCheck, HostEndpoint.Parse(endpointText), s.HealthCheckSettings) is { } check)
        {
            var result = await check.CheckAsync(cancellationToken);
            health = result.Healthy ? "healthy" : "unhealthy";
            detail = result.Detail;
        }
        else if (state == "running")
        {
            health = "no check";
        }
        return new ServiceStatusReport(
            s.Name, s.Kind, state, health, detail,
            s.Endpoints.Values.FirstOrDefault(), s.Endpoints, s.Process?.Pid, s.ContainerId);
    }
}
