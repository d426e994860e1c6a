using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>
/// The upstream is "not ready" until <see cref="ReadyAfter"/> has passed since its origin: the rule's creation or the
/// proxy's start (<see cref="From"/>), or the route's last restart (<see cref="EdgeProxy.MarkUpstreamRestarted"/>),
/// whichever is later. Until then requests are rejected or held.
/// </summary>
public sealed record ColdStartGateAction(TimeSpan ReadyAfter, GateMode Mode = GateMode.Reject, ClockOrigin From = ClockOrigin.Rule, int Status = 503)
    : HttpFaultAction
{
    public static FaultActionKind<ColdStartGateAction> Definition { get; } = new(
        "coldStart",
        [
            new("readyAfterMs", ActionJson.Milliseconds, "how long the upstream stays not ready after its origin or its last restart") { Required = true },
            new("mode", "`reject` or `hold`", "`reject`: answer at once with `status`, a `Retry-After` and `{\"detail\":\"upstream not ready (cold start)\",\"retryAfterMs\":N}`; `hold`: keep the request and forward it when ready, as Cloud Run does") { Default = "`reject`" },
            new("from", "`rule` or `proxy`", "the origin: when the rule was added, or when the proxy started") { Default = "`rule`" },
            new("status", $"whole number {AbortAction.MinStatus}–{AbortAction.MaxStatus}", "the status a rejected request gets") { Default = "503" },
        ],
        Read,
        g => new()
        {
            ["readyAfterMs"] = g.ReadyAfter.TotalMilliseconds,
            ["mode"] = g.Mode == GateMode.Hold ? "hold" : "reject",
            ["from"] = ActionJson.OriginName(g.From),
            ["status"] = g.Status,
        })
    {
        Examples = ["""{"readyAfterMs":5000,"mode":"reject"}""", """{"readyAfterMs":10000,"mode":"hold","from":"proxy"}"""],
        Effect = "the upstream is not ready until `readyAfterMs` after the later of its origin and the route's last restart "
                 + "(`POST /upstreams/{route}/restarted`, `EdgeProxy.MarkUpstreamRestarted`); until then requests are rejected or held. "
                 + "Removing the rule releases held requests at once",
    };

    public override FaultActionKind Descriptor => Definition;

    internal override IEnumerable<Parsing.RuleError> Validate()
        => ValidateTime("readyAfterMs", ReadyAfter).Concat(AbortAction.ValidateStatus(Status));

    internal override async ValueTask<FaultOutcome> ApplyAsync(HttpFaultContext context)
    {
        var clock = context.Clock;
        var remaining = Remaining(context);
        if (remaining <= TimeSpan.Zero)
        {
            return FaultOutcome.NotInjected;
        }
        if (Mode == GateMode.Reject)
        {
            var retryAfter = Math.Max(1, (int)Math.Ceiling(remaining.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            context.Detail = $"{Status}, ready in {remaining.TotalMilliseconds:0} ms";
            var body = new JsonObject { ["detail"] = "upstream not ready (cold start)", ["retryAfterMs"] = (long)Math.Ceiling(remaining.TotalMilliseconds) }.ToJsonString();
            context.Injecting();
            await AbortAction.WriteResponseAsync(context.Http.Response, Status, body, [new("Retry-After", retryAfter)], context.Http.RequestAborted);
            return FaultOutcome.Ended;
        }

        // Hold: wake when ready, when the rule is removed (forward now), or when the client gives up or the proxy stops
        // (the cancellation ends the request). A restart during the wait moves the ready time later, so look again
        // after each wake.
        var started = clock.Time.GetTimestamp();
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(context.Rule.Removed, context.Cancellation);
        while (remaining > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(remaining, clock.Time, wake.Token);
            }
            catch (OperationCanceledException) when (!context.Cancellation.IsCancellationRequested)
            {
                break;
            }
            remaining = Remaining(context);
        }
        context.Detail = $"held {clock.Time.GetElapsedTime(started).TotalMilliseconds:0} ms";
        return FaultOutcome.Continue;
    }

    private static ColdStartGateAction? Read(Parsing.JsonObjectReader g)
    {
        var readyAfter = g.Milliseconds("readyAfterMs", required: true);
        var mode = g.Choice("mode", "reject", "hold") == "hold" ? GateMode.Hold : GateMode.Reject;
        var from = ActionJson.ReadOrigin(g);
        var status = g.Integer("status", AbortAction.MinStatus, AbortAction.MaxStatus) ?? 503;
        return readyAfter is { } r ? new ColdStartGateAction(r, mode, from, status) : null;
    }

    private TimeSpan Remaining(HttpFaultContext context)
    {
        var clock = context.Clock;
        var origin = From == ClockOrigin.Proxy ? clock.StartedAt : context.Rule.AddedAt;
        var restarted = clock.LastRestart(context.Request.Route);
        if (restarted is { } r && r > origin)
        {
            origin = r;
        }
        return ReadyAfter - clock.Time.GetElapsedTime(origin);
    }
}
