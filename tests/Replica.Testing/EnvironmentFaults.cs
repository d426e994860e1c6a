using System.Text.Json;
using System.Text.Json.Nodes;
using Replica.Chaos.Faults;
using Replica.Environments.Proxied;
using Replica.Proxy.Edge.Faults.Parsing;
using Replica.Proxy.Tcp.Toxics;

namespace Replica.Testing;

/// <summary>
/// Faults for a test, each undone when its handle is disposed (<c>using var _ = env.Faults.Latency("backend_redis", 300);</c>):
/// toxics on services' connections to their dependencies (TCP) and rules on the edge proxy (HTTP and WebSocket
/// frames). The handles are the scenario runner's own (<see cref="FaultHandle"/>): one type applies and undoes faults
/// everywhere.
/// </summary>
public sealed class EnvironmentFaults(ReplicaEnvironment environment)
{
    /// <summary>Any Toxiproxy toxic on a service's connection to a dependency (e.g. "backend_redis").</summary>
    public FaultHandle Toxic(string dependency, string type, IReadOnlyDictionary<string, object?> attributes, string stream = "downstream", float toxicity = 1) =>
        ReplicaFaults.AddToxic(environment, dependency,
            new ToxicSpec(type) { Stream = stream, Toxicity = toxicity, Attributes = attributes, Name = $"{type}_{stream}_{Guid.NewGuid():N}"[..40] });

    public FaultHandle Latency(string dependency, int milliseconds, int jitter = 0, string stream = "downstream") =>
        Toxic(dependency, "latency", new Dictionary<string, object?> { ["latency"] = milliseconds, ["jitter"] = jitter }, stream);

    /// <summary>The dependency refuses new connections (and open ones are closed) until disposed.</summary>
    public FaultHandle Down(string dependency) => ReplicaFaults.TakeDown(environment, dependency);

    /// <summary>Any edge-proxy rule, in the JSON of proxy/Replica.Proxy.Edge/RULES.md.</summary>
    public FaultHandle EdgeRule(string json)
    {
        if (environment.Edge is null)
        {
            throw new InvalidOperationException("the environment has no edge proxy");
        }
        using var document = JsonDocument.Parse(json);
        var parsed = FaultRuleParser.Parse(document.RootElement);
        if (parsed.Errors.Count > 0)
        {
            throw new ArgumentException("invalid edge rule: " + string.Join("; ", parsed.Errors.Select(e => $"{e.Field}: {e.Message}")), nameof(json));
        }
        return ReplicaFaults.AddEdgeRules(environment, parsed.Rules);
    }

    /// <summary>Requests whose path matches <paramref name="pathGlob"/> are answered with <paramref name="status"/>.</summary>
    public FaultHandle AbortRequests(string pathGlob, int status, string detail = "fault injected by a test") =>
        EdgeRule(new JsonObject
        {
            ["match"] = new JsonObject { ["path"] = pathGlob },
            ["action"] = new JsonObject { ["abort"] = new JsonObject { ["status"] = status, ["body"] = new JsonObject { ["detail"] = detail } } },
        }.ToJsonString());

    /// <summary>WebSocket messages to the client whose JSON has this type are not delivered.</summary>
    public FaultHandle DropFrames(string type, string field = "type") =>
        EdgeRule(new JsonObject
        {
            ["match"] = new JsonObject { ["websocket"] = true },
            ["action"] = new JsonObject { ["frameDrop"] = new JsonObject { ["direction"] = "toClient", ["frame"] = new JsonObject { [field] = type } } },
        }.ToJsonString());

    /// <summary>WebSockets are closed with <paramref name="code"/> and <paramref name="reason"/> after N messages to the client.</summary>
    public FaultHandle CloseWebSockets(int code, string reason, int afterFrames) =>
        EdgeRule(new JsonObject
        {
            ["match"] = new JsonObject { ["websocket"] = true },
            ["action"] = new JsonObject { ["close"] = new JsonObject { ["code"] = code, ["reason"] = reason, ["direction"] = "toClient", ["afterFrames"] = afterFrames } },
        }.ToJsonString());
}
