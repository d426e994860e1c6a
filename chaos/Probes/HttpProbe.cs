using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Replica.Chaos.Scenarios;

namespace Replica.Chaos.Probes;

/// <summary>One HTTP request: the status and the expected JSON fields, or a classified failure.</summary>
public static class HttpProbe
{
    public static async Task<ProbeObservation> RunAsync(HttpProbeDefinition probe, ProbeContext context, CancellationToken cancellationToken)
    {
        var started = context.Now;
        var frames = new List<ObservedFrame>();
        ProbeObservation Finish(FailureMode? failure, string? detail = null) => new(probe.Name, started, context.Now, failure is null, failure, frames, detail);

        using var request = new HttpRequestMessage(new HttpMethod(probe.Method), new Uri(context.BaseUrl(probe.Target), probe.Path));
        if (await context.TokenAsync(probe.Token, cancellationToken) is { } token)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        if (probe.Body is not null)
        {
            request.Content = new StringContent(probe.Body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(probe.Timeout);
        try
        {
            using var response = await context.Http.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            var status = (int)response.StatusCode;
            frames.Add(new ObservedFrame(context.Now, "in", $"HTTP {status}", body));
            if (status != probe.ExpectStatus)
            {
                return Finish(new FailureMode(FailureKind.HttpStatus, status, HttpFailures.MessageOf(body)), $"expected {probe.ExpectStatus}");
            }
            if (Mismatch(body, probe.ExpectJson) is { } mismatch)
            {
                return Finish(new FailureMode(FailureKind.HttpStatus, status, mismatch));
            }
            return Finish(null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Finish(new FailureMode(FailureKind.Timeout, AfterFrames: [.. frames.Select(f => f.Type)]), $"no answer within {probe.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            return Finish(HttpFailures.FromException(ex), ex.Message);
        }
    }

    /// <summary>The first expected field (dotted path) whose value differs, described; null when all match.</summary>
    public static string? Mismatch(string body, IReadOnlyDictionary<string, JsonNode?> expected)
    {
        if (expected.Count == 0)
        {
            return null;
        }
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return "body is not JSON";
        }
        foreach (var (path, value) in expected)
        {
            JsonNode? node = root;
            foreach (var part in path.Split('.'))
            {
                node = node is JsonObject obj && obj.TryGetPropertyValue(part, out var child) ? child : null;
            }
            if (!JsonNode.DeepEquals(node, value))
            {
                return $"{path} = {node?.ToJsonString() ?? "absent"}, expected {value?.ToJsonString() ?? "null"}";
            }
        }
        return null;
    }
}
