using System.Globalization;
using Replica.Proxy.Edge.Faults.Actions;
using Replica.Proxy.Edge.Faults.Parsing;

namespace Replica.Proxy.Edge.Tests.Actions;

/// <summary>
/// A throwaway action that exists only in the tests, written the way a real one is (one file, its kind, its checks):
/// it answers 418 with a header counting <see cref="Cups"/>. It is registered in a registry of its own test only.
/// </summary>
internal sealed record TeapotAction(int Cups) : HttpFaultAction
{
    public static FaultActionKind<TeapotAction> Definition { get; } = new(
        "teapot",
        [new("cups", "whole number 1–9", "how many cups the teapot claims to hold") { Required = true }],
        t => t.Integer("cups", required: true) is { } cups ? new TeapotAction(cups) : null,
        t => new() { ["cups"] = t.Cups })
    {
        Examples = ["""{"cups":2}"""],
        Effect = "answers 418 with `X-Cups`; the upstream never sees the request",
    };

    public override FaultActionKind Descriptor => Definition;

    internal override IEnumerable<RuleError> Validate()
        => Cups is < 1 or > 9 ? [new RuleError("cups", "must be between 1 and 9")] : [];

    internal override async ValueTask<FaultOutcome> ApplyAsync(HttpFaultContext context)
    {
        context.Injecting();
        var response = context.Http.Response;
        response.StatusCode = 418;
        response.Headers["X-Cups"] = Cups.ToString(CultureInfo.InvariantCulture);
        await response.CompleteAsync();
        return FaultOutcome.Ended;
    }
}
