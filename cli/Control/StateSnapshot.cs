using Replica.Environments.Proxied;
using Replica.Proxy.Edge.Faults.Parsing;
using Replica.Proxy.Tcp.Toxics;

namespace Replica.Cli.Control;

/// <summary>
/// The environment's state as the control API answers it (<c>GET /api/state</c>, what the page shows): its services,
/// the dependencies between them with their proxies' toxics, the edge's fault rules (null without an edge), the toxic
/// types there are, and the last run (null before any has ended).
/// </summary>
internal sealed record StateSnapshot(
    string Name, string Runtime, int Seed, string? Edge, string Network,
    IReadOnlyList<ServiceView> Services, IReadOnlyList<DependencyView> Dependencies, IReadOnlyList<EdgeRuleView>? Rules,
    IReadOnlyList<string> ToxicTypes, RunSummary? Run)
{
    /// <summary>Everything the page shows, as it is now (health as last checked by the environment, not checked anew).</summary>
    public static StateSnapshot Take(ReplicaEnvironment replica, LastRun lastRun)
    {
        var environment = replica.Environment;
        var dependencies = replica.Toxiproxy.Proxies.List();
        return new StateSnapshot(
            replica.Name,
            environment.Runtime.Name,
            replica.Seed,
            replica.EdgeUrl?.ToString(),
            replica.Network.Name,
            environment.Services.Select(s => new ServiceView(
                s.Name,
                s.Definition.Replica.Kind.ToString().ToLowerInvariant(),
                s.Status.ToString().ToLowerInvariant(),
                s.LastHealthCheck?.Detail,
                s.Endpoint?.ToString(),
                s.Instance?.ProcessId,
                s.Instance?.ContainerId is { } id ? id[..Math.Min(12, id.Length)] : null,
                environment.SettingsOf(s.Name),
                s.TailLog(6))).ToList(),
            environment.Dependencies.OrderBy(d => d.Name, StringComparer.Ordinal).Select(d =>
            {
                var proxy = dependencies.FirstOrDefault(p => p.Name == d.Name);
                return new DependencyView(
                    d.Name,
                    d.Dependent,
                    d.Dependency,
                    proxy?.Listen,
                    d.Upstream,
                    proxy?.Enabled ?? true,
                    proxy is not null,
                    proxy?.Toxics.Select(ToxicView.Of).ToList() ?? []);
            }).ToList(),
            replica.Edge?.Rules.List().Select(r => new EdgeRuleView(
                r.Rule.Id,
                FaultRuleWriter.Write(r.Rule).ToJsonString(),
                r.Injected,
                r.AddedAt)).ToList(),
            ToxicKinds.Names,
            lastRun.Current());
    }
}
