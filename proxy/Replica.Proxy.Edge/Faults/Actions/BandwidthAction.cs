using Replica.Proxy.Edge.Faults.Parsing;

namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>Limits the HTTP response body sent to the client to <see cref="BytesPerSecond"/>.</summary>
public sealed record BandwidthAction(long BytesPerSecond) : HttpFaultAction
{
    public const long MaxBytesPerSecond = 1_000_000_000_000;

    public static FaultActionKind<BandwidthAction> Definition { get; } = new(
        "bandwidth",
        [new("bytesPerSecond", $"number 1–{MaxBytesPerSecond}", "the highest average rate of the response body") { Required = true }],
        b => b.Number("bytesPerSecond", 1, required: true) is { } bps ? new BandwidthAction((long)Math.Min(bps, long.MaxValue / 2)) : null,
        b => new() { ["bytesPerSecond"] = b.BytesPerSecond })
    {
        Examples = ["""{"bytesPerSecond":10000}"""],
        Effect = "paces the HTTP response body to at most that rate (not applied to WebSocket frames)",
    };

    public override FaultActionKind Descriptor => Definition;

    internal override IEnumerable<RuleError> Validate()
        => BytesPerSecond is < 1 or > MaxBytesPerSecond ? [new RuleError("bytesPerSecond", $"must be ≥ 1 and at most {MaxBytesPerSecond}")] : [];

    internal override ValueTask<FaultOutcome> ApplyAsync(HttpFaultContext context)
    {
        var response = context.Http.Response;
        response.Body = new ThrottledStream(response.Body, BytesPerSecond, context.Clock.Time);
        context.Detail = $"{BytesPerSecond} B/s";
        return ValueTask.FromResult(FaultOutcome.Continue);
    }
}
