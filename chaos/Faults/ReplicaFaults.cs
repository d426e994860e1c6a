using Replica.Environments.Errors;
using Replica.Environments.Proxied;
using Replica.Proxy.Edge.Faults;
using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Proxies;
using Replica.Proxy.Tcp.Toxics;

namespace Replica.Chaos.Faults;

/// <summary>
/// Applies faults to a running environment, each returning the <see cref="FaultHandle"/> that undoes it. A fault
/// already gone when its handle is disposed (the environment's faults were reset meanwhile) is not an error: that is
/// handled here, once, for every caller.
/// </summary>
public static class ReplicaFaults
{
    /// <summary>A toxic on a service's connection to a dependency (e.g. "backend_redis").</summary>
    /// <exception cref="ToxiproxyException">the toxic is invalid or its name is taken (nothing is applied)</exception>
    public static FaultHandle AddToxic(ReplicaEnvironment environment, string dependency, ToxicSpec toxic)
    {
        var proxy = environment.DependencyProxy(dependency);
        var added = proxy.AddToxic(toxic);
        return new FaultHandle($"{added.Type} on {dependency} ({added.Name})", () =>
        {
            try
            {
                proxy.RemoveToxic(added.Name);
            }
            catch (ToxiproxyException e) when (e.StatusCode == 404)
            {
                // Already gone (the faults were reset meanwhile): nothing to undo.
            }
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>The dependency refuses new connections and open ones are closed, until the handle is disposed.</summary>
    public static FaultHandle TakeDown(ReplicaEnvironment environment, string dependency)
    {
        var proxy = environment.DependencyProxy(dependency);
        proxy.Update(new ProxyUpdate { Enabled = false });
        return new FaultHandle($"{dependency} down", () =>
        {
            proxy.Update(new ProxyUpdate { Enabled = true });
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Rules on the edge proxy, all or none (see <see cref="FaultRuleSet.AddRange"/>).</summary>
    /// <exception cref="ReplicaException">the environment has no edge proxy</exception>
    /// <exception cref="ArgumentException">a rule is invalid or its id is taken (nothing is applied)</exception>
    public static FaultHandle AddEdgeRules(ReplicaEnvironment environment, IReadOnlyList<FaultRule> rules)
    {
        var edge = environment.Edge ?? throw new ReplicaException("an edge rule needs the edge proxy, but the environment has none");
        var added = edge.Rules.AddRange(rules);
        return new FaultHandle($"edge rule {string.Join(", ", added.Select(r => $"{r.Action.Kind} ({r.Id})"))}", () =>
        {
            foreach (var rule in added)
            {
                edge.Rules.Remove(rule.Id!); // false when already gone
            }
            return ValueTask.CompletedTask;
        });
    }
}
