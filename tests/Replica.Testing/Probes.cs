using System.Diagnostics;
using System.Text.Json.Nodes;
using Replica.Chaos.Probes;
using Replica.Chaos.Scenarios;
using Replica.Environments.Proxied;
using Replica.Proxy.Edge.Tls;

namespace Replica.Testing;

/// <summary>
/// The scenario probes, for direct use in a test: a real ClientWebSocket or HttpClient through the edge proxy, with
/// what was seen recorded and any failure classified (close code and reason, HTTP status, silence after which frames).
/// </summary>
public static class Probes
{
    // Trusts the local certificate authority of any environment served with TLS at the edge, as the scenario probes do.
    private static readonly HttpClient Http = new(EdgeCertificateTrust.CreateHandler()) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Fetches a bearer token as a scenario's auth block would (one request, one JSON field).</summary>
    public static Task<string> TokenAsync(ReplicaEnvironment environment, string path, IReadOnlyDictionary<string, string> headers, object body, string tokenField = "access_token", CancellationToken cancellationToken = default)
    {
        var request = new TokenRequest("POST", path, headers, JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(body)), tokenField, ProbeTarget.Edge);
        return new TokenSource(request, Http, _ => environment.EdgeUrl!).GetAsync(cancellationToken);
    }

    /// <summary>
    /// Opens a WebSocket through the edge proxy (bearer <paramref name="token"/> if given), sends <paramref name="send"/>
    /// and waits for frames of the <paramref name="expect"/> types in order, each within <paramref name="frameTimeout"/>.
    /// </summary>
    public static Task<ProbeObservation> WebSocketAsync(
        ReplicaEnvironment environment, string path, string? token, object? send, IReadOnlyList<string> expect,
        TimeSpan? frameTimeout = null, CancellationToken cancellationToken = default)
    {
        var definition = new WebSocketProbeDefinition(
            "websocket", ProbeTarget.Edge, new Replica.Environments.Compose.SourceLocation("test", 0, 0), path,
            token is null ? TokenMode.None : TokenMode.Auth, [],
            send is null ? null : JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(send)),
            expect, frameTimeout ?? TimeSpan.FromSeconds(5), "type");
        return WebSocketProbe.RunAsync(definition, Context(environment, token), cancellationToken);
    }

    /// <summary>Polls a path through the edge proxy until it answers <paramref name="status"/>, or fails with the last answer.</summary>
    public static Task<ProbeObservation> HealthAsync(ReplicaEnvironment environment, string path, int status = 200, TimeSpan? within = null, CancellationToken cancellationToken = default)
    {
        var definition = new HealthPollProbeDefinition("health", ProbeTarget.Edge, new Replica.Environments.Compose.SourceLocation("test", 0, 0),
            path, status, within ?? TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        return HealthPollProbe.RunAsync(definition, Context(environment, null), cancellationToken);
    }

    private static ProbeContext Context(ReplicaEnvironment environment, string? token) =>
        new(Http, target => target.ViaEdge ? environment.EdgeUrl! : new Uri($"http://{environment[target.Service!].Endpoint}"),
            token is null ? null : _ => Task.FromResult(token), Stopwatch.StartNew());
}
