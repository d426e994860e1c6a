namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>Holds the request (or WebSocket handshake) before forwarding it.</summary>
public sealed record DelayAction(DelayDistribution Delay) : HttpFaultAction
{
    public override string Kind => "delay";

    internal override IEnumerable<Parsing.RuleError> Validate() => Delay.Validate();

    internal override async ValueTask<FaultOutcome> ApplyAsync(HttpFaultContext context)
    {
        var delay = Delay.Sample(context.Rule.NextUnit());
        context.Detail = $"{delay.TotalMilliseconds:0} ms";
        await FaultDelay.WaitAsync(delay, context.Clock.Time, context.Cancellation);
        return FaultOutcome.Continue;
    }
}
