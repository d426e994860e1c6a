namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>Holds the request (or WebSocket handshake) before forwarding it.</summary>
public sealed record DelayAction(DelayDistribution Delay) : HttpFaultAction
{
    public static FaultActionKind<DelayAction> Definition { get; } = new(
        "delay",
        ActionJson.DelayFields,
        d => ActionJson.ReadDelay(d) is { } delay ? new DelayAction(delay) : null,
        d => ActionJson.WriteDelay(d.Delay, []))
    {
        Examples =
        [
            """{"ms":200}""",
            """{"ms":200,"jitterMs":50}""",
            """{"minMs":100,"maxMs":300}""",
            """{"p50Ms":130,"p95Ms":400,"p99Ms":900}""",
        ],
        Effect = "holds the request (or the WebSocket handshake) at least that long before forwarding it",
    };

    public override FaultActionKind Descriptor => Definition;

    internal override IEnumerable<Parsing.RuleError> Validate() => Delay.Validate();

    internal override async ValueTask<FaultOutcome> ApplyAsync(HttpFaultContext context)
    {
        var delay = Delay.Sample(context.Rule.NextUnit());
        context.Detail = $"{delay.TotalMilliseconds:0} ms";
        await FaultDelay.WaitAsync(delay, context.Clock.Time, context.Cancellation);
        return FaultOutcome.Continue;
    }
}
