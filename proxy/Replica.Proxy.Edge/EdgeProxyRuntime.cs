using Microsoft.Extensions.Logging;
using Replica.Proxy.Edge.Faults;
using Replica.Proxy.Edge.Metrics;
using Replica.Proxy.Edge.WebSockets;

namespace Replica.Proxy.Edge;

/// <summary>The live state shared by the fault middleware, the WebSocket sessions and the admin API.</summary>
internal sealed class EdgeProxyRuntime
{
    public EdgeProxyRuntime(int seed, ProxyClock clock, ILogger faultLog, bool allowWebSocketCompression)
    {
        Seed = seed;
        Clock = clock;
        FaultLog = faultLog;
        AllowWebSocketCompression = allowWebSocketCompression;
        Rules = new FaultRuleSet(clock, seed);
        Metrics = new EdgeProxyMetrics(seed);
        Sessions = new WebSocketSessionRegistry();
        Rules.Changed += Sessions.OnRulesChanged;
    }

    public int Seed { get; }
    public ProxyClock Clock { get; }
    public FaultRuleSet Rules { get; }
    public EdgeProxyMetrics Metrics { get; }
    public WebSocketSessionRegistry Sessions { get; }
    public ILogger FaultLog { get; }
    public EdgeTap Tap { get; } = new();
    public bool AllowWebSocketCompression { get; }

    /// <summary>Counts and logs one injected fault: the log line names the rule and the request or connection.</summary>
    public void RecordFault(InstalledRule rule, string kind, string target, string? detail)
    {
        CountFault(rule, kind);
        LogFault(rule, kind, target, detail);
    }

    /// <summary>
    /// Counts one injected fault, by its rule and in the metrics. Called before the client can see the fault, so that
    /// a client that saw it and then asks the admin API finds it counted.
    /// </summary>
    public void CountFault(InstalledRule rule, string kind)
    {
        rule.CountInjected();
        Metrics.Fault(rule.Id, kind);
    }

    /// <summary>Logs one injected fault (and shows it to the tap): the line names the rule and the request or connection.</summary>
    public void LogFault(InstalledRule rule, string kind, string target, string? detail)
    {
        FaultLog.LogInformation("fault {Kind} rule={RuleId} {Target} {Detail}", kind, rule.Id, target, detail ?? "");
        if (Tap.Active)
        {
            Tap.Fault(rule.Id, kind, target, detail);
        }
    }
}
