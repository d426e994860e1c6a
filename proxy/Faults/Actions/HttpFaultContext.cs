using Microsoft.AspNetCore.Http;
using Replica.Proxy.Faults.Matching;

namespace Replica.Proxy.Faults.Actions;

/// <summary>Everything an HTTP action needs to act on one request.</summary>
internal sealed class HttpFaultContext(HttpContext http, InstalledRule rule, RequestFacts request, ProxyClock clock)
{
    public HttpContext Http { get; } = http;
    public InstalledRule Rule { get; } = rule;
    public RequestFacts Request { get; } = request;
    public ProxyClock Clock { get; } = clock;

    /// <summary>What the action did, for the fault log line (e.g. "237 ms").</summary>
    public string? Detail { get; set; }
}
