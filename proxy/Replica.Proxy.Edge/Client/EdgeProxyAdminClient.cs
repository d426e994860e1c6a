using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Replica.Proxy.Edge.Faults;
using Replica.Proxy.Edge.Faults.Parsing;
using Replica.Proxy.Edge.Metrics;

namespace Replica.Proxy.Edge.Client;

/// <summary>A typed client for an edge proxy's admin API (the same operations as <see cref="EdgeProxy.Rules"/>, over HTTP).</summary>
public sealed class EdgeProxyAdminClient : IDisposable
{
    private readonly HttpClient _http;

    public EdgeProxyAdminClient(Uri adminUrl, string? token = null, TimeSpan? timeout = null)
    {
        _http = new HttpClient { BaseAddress = adminUrl, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        if (!string.IsNullOrEmpty(token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Uri AdminUrl => _http.BaseAddress!;

    /// <summary>Adds a rule; returns it as installed (with its id).</summary>
    public async Task<FaultRule> AddAsync(FaultRule rule, CancellationToken cancellationToken = default)
        => (await AddJsonAsync(FaultRuleWriter.Write(rule).ToJsonString(), cancellationToken)).Single();

    /// <summary>Adds the rule (or array of rules) in <paramref name="json"/>: all of them, or none and an exception naming each bad field.</summary>
    public async Task<IReadOnlyList<FaultRule>> AddJsonAsync(string json, CancellationToken cancellationToken = default)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var document = await SendAsync(HttpMethod.Post, "rules", content, cancellationToken);
        return document!.RootElement.GetProperty("rules").EnumerateArray().Select(ParseRule).ToList();
    }

    public async Task<IReadOnlyList<FaultRuleStatus>> ListAsync(CancellationToken cancellationToken = default)
    {
        using var document = await SendAsync(HttpMethod.Get, "rules", null, cancellationToken);
        return document!.RootElement.GetProperty("rules").EnumerateArray()
            .Select(r => new FaultRuleStatus(
                ParseRule(r.GetProperty("rule")),
                DateTimeOffset.Parse(r.GetProperty("addedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                r.GetProperty("injected").GetInt64()))
            .ToList();
    }

    /// <returns>False when no rule has that id.</returns>
    public async Task<bool> RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        try
        {
            using var _ = await SendAsync(HttpMethod.Delete, $"rules/{Uri.EscapeDataString(id)}", null, cancellationToken);
            return true;
        }
        catch (EdgeProxyAdminException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <returns>How many rules were removed.</returns>
    public async Task<int> ClearAsync(CancellationToken cancellationToken = default)
    {
        using var document = await SendAsync(HttpMethod.Delete, "rules", null, cancellationToken);
        return document!.RootElement.GetProperty("removed").GetInt32();
    }

    public async Task<EdgeProxyCounters> GetCountersAsync(CancellationToken cancellationToken = default)
    {
        using var document = await SendAsync(HttpMethod.Get, "counters", null, cancellationToken);
        var c = document!.RootElement;
        static IReadOnlyDictionary<string, long> Map(JsonElement e) => e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
        return new EdgeProxyCounters(
            c.GetProperty("requests").GetInt64(),
            c.GetProperty("webSocketRequests").GetInt64(),
            c.GetProperty("webSocketsOpen").GetInt64(),
            c.GetProperty("webSocketMessagesForwarded").GetInt64(),
            c.GetProperty("webSocketMessagesDropped").GetInt64(),
            c.GetProperty("webSocketMessagesInjected").GetInt64(),
            c.GetProperty("faultsInjected").GetInt64(),
            Map(c.GetProperty("faultsByRule")),
            Map(c.GetProperty("faultsByKind")));
    }

    /// <summary>Tells the proxy the route's upstream has just restarted (cold-start gates count from now).</summary>
    public async Task MarkUpstreamRestartedAsync(string route, CancellationToken cancellationToken = default)
    {
        using var _ = await SendAsync(HttpMethod.Post, $"upstreams/{Uri.EscapeDataString(route)}/restarted", null, cancellationToken);
    }

    public async Task<string> GetMetricsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendRawAsync(HttpMethod.Get, "metrics", null, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private static FaultRule ParseRule(JsonElement json)
    {
        var parsed = FaultRuleParser.Parse(json);
        return parsed.Succeeded
            ? parsed.Rules.Single()
            : throw new EdgeProxyAdminException($"the admin API returned a rule this client cannot read: {string.Join("; ", parsed.Errors)}");
    }

    private async Task<JsonDocument?> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return body.Length == 0 ? null : JsonDocument.Parse(body);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new EdgeProxyAdminException($"cannot reach the edge proxy admin API at {AdminUrl}: {ex.Message}", inner: ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EdgeProxyAdminException($"the edge proxy admin API at {AdminUrl} did not answer within {_http.Timeout.TotalSeconds:0} s", inner: ex);
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw Failure((int)response.StatusCode, body);
        }
    }

    private EdgeProxyAdminException Failure(int status, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var errors = root.TryGetProperty("errors", out var e)
                ? e.EnumerateArray().Select(x => new RuleError(x.GetProperty("field").GetString()!, x.GetProperty("message").GetString()!)).ToList()
                : [];
            var detail = root.TryGetProperty("detail", out var d) ? d.GetString() : body;
            var message = errors.Count > 0 ? $"{detail}: {string.Join("; ", errors)}" : $"{detail}";
            return new EdgeProxyAdminException(message, status, errors);
        }
        catch (JsonException)
        {
            return new EdgeProxyAdminException($"the edge proxy admin API at {AdminUrl} answered {status}: {body}", status);
        }
    }
}
