using Replica.Environments.Proxied;
using Replica.Proxy.Edge.Faults.Parsing;
using Replica.Proxy.Tcp.Toxics;

namespace Replica.Cli.Control;

/// <summary>
/// The environment's state as the control API answers it (<c>GET /api/state</c>, what the page shows), and the JSON
/// view of a toxic that both the state and the answer to adding one use.
/// </summary>
internal static class StateSnapshot
{
    /// <summary>Everything the page shows, as it is now (health as last checked by the environment, not checked anew).</summary>
    public static object Take(ReplicaEnvironment replica, LastRun lastRun)
    {
        var environment = replica.Environment;
        var dependencies = replica.Toxiproxy.Proxies.List();
        return new
        {
            name = replica.Name,
            runtime = environment.Runtime.Name,
            seed = replica.Seed,
            edge = replica.EdgeUrl?.ToString(),
            network = replica.Network.Name,
            services = environment.Services.Select(s => new
            {
                name = s.Name,
                kind = s.Definition.Replica.Kind.ToString().ToLowerInvariant(),
                status = s.Status.ToString().ToLowerInvariant(),
                health = s.LastHealthCheck?.Detail,
                endpoint = s.Endpoint?.ToString(),
                pid = s.Instance?.ProcessId,
                container = s.Instance?.ContainerId is { } id ? id[..Math.Min(12, id.Length)] : null,
                settings = environment.SettingsOf(s.Name),
                log = s.TailLog(6),
            }).ToList(),
            dependencies = environment.Dependencies.OrderBy(d => d.Name, StringComparer.Ordinal).Select(d =>
            {
                var proxy = dependencies.FirstOrDefault(p => p.Name == d.Name);
                return new
                {
                    name = d.Name,
                    dependent = d.Dependent,
                    dependency = d.Dependency,
                    listen = proxy?.Listen,
                    upstream = d.Upstream,
                    enabled = proxy?.Enabled ?? true,
                    proxied = proxy is not null,
                    toxics = proxy?.Toxics.Select(ToxicView).ToList() ?? [],
                };
            }).ToList(),
            rules = replica.Edge?.Rules.List().Select(r => new
            {
                id = r.Rule.Id,
                rule = FaultRuleWriter.Write(r.Rule).ToJsonString(),
                injected = r.Injected,
                addedAt = r.AddedAt,
            }).ToList(),
            toxicTypes = ToxicKinds.Names,
            run = lastRun.Current(),
        };
    }

    public static object ToxicView(Toxic toxic) => new
    {
        name = toxic.Name,
        type = toxic.Type,
        stream = toxic.Stream,
        toxicity = toxic.Toxicity,
        attributes = toxic.Attributes.ToDictionary(a => a.Key, a => a.Value),
    };
}
