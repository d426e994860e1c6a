namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>Limits the HTTP response body sent to the client to <see cref="BytesPerSecond"/>.</summary>
public sealed record BandwidthAction(long BytesPerSecond) : HttpFaultAction
{
    public override string Kind => "bandwidth";

    internal override IEnumerable<Parsing.RuleError> Validate()
        => BytesPerSecond is < 1 or > 1_000_000_000_000 ? [new Parsing.RuleError("bytesPerSecond", "must be ≥ 1 and at most 1000000000000")] : [];

    internal override ValueTask<FaultOutcome> ApplyAsync(HttpFaultContext context)
    {
        var response = context.Http.Response;
        response.Body = new ThrottledStream(response.Body, BytesPerSecond, context.Clock.Time);
        context.Detail = $"{BytesPerSecond} B/s";
        return ValueTask.FromResult(FaultOutcome.Continue);
    }
}
