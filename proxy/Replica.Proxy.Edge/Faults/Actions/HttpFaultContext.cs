using Microsoft.AspNetCore.Http;
using Replica.Proxy.Edge.Faults.Matching;

namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>Everything an HTTP action needs to act on one request.</summary>
internal sealed class HttpFaultContext(HttpContext http, InstalledRule rule, RequestFacts request, EdgeProxyRuntime runtime) : IDisposable
{
    private CancellationTokenSource? _cancellation;
    private bool _counted;

    public HttpContext Http { get; } = http;
    public InstalledRule Rule { get; } = rule;
    public RequestFacts Request { get; } = request;
    public ProxyClock Clock { get; } = runtime.Clock;

    /// <summary>
    /// Counts the fault as injected, once. An action that answers the request or drops the connection calls this
    /// before it does, so that a client that saw the fault and then asks the admin API finds it counted; the
    /// middleware counts every other injected fault when the action returns, before the request goes on.
    /// </summary>
    public void Injecting()
    {
        if (!_counted)
        {
            _counted = true;
            runtime.CountFault(Rule, Rule.Rule.Action.Kind);
        }
    }

    /// <summary>
    /// Cancelled when the client leaves or the proxy stops: whatever an action waits for, it waits with this, so that
    /// stopping the proxy never waits out a fault. Linked on first use only: most actions never wait.
    /// </summary>
    public CancellationToken Cancellation
        => (_cancellation ??= CancellationTokenSource.CreateLinkedTokenSource(Http.RequestAborted, Clock.Stopping)).Token;

    /// <summary>What the action did, for the fault log line (e.g. "237 ms").</summary>
    public string? Detail { get; set; }

    public void Dispose() => _cancellation?.Dispose();
}
