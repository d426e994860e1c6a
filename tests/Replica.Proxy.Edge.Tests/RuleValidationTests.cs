using System.Net;
using Replica.Proxy.Edge.Faults;
using Replica.Proxy.Edge.Faults.Actions;
using Replica.Proxy.Edge.Faults.Matching;
using Replica.Tests.Support;

namespace Replica.Proxy.Edge.Tests;

/// <summary>Rules built in C# meet the same bounds as rules sent as JSON: an invalid one is refused whole, at once.</summary>
public sealed class RuleValidationTests
{
    public static TheoryData<FaultRule, string> InvalidRules() => new()
    {
        { FaultRule.Create(new AbortAction(0)), "action.abort.status: must be between 200 and 599" },
        { FaultRule.Create(new AbortAction(503, "not json")), "action.abort.body: must be JSON text" },
        { FaultRule.Create(new AbortAction(503, null, [new("X-Why", "a\nb")])), "action.abort.headers.X-Why: must be printable ASCII" },
        { FaultRule.Create(new CloseAction(70000, "", FrameDirection.ToClient, FrameTrigger.AfterFrameCount(1))), "action.close.code: must be between 1000 and 4999" },
        { FaultRule.Create(new CloseAction(1000, new string('x', 124), FrameDirection.ToClient, FrameTrigger.AfterFrameCount(1))), "action.close.reason: must be at most 123 bytes" },
        { FaultRule.Create(new CloseAction(1000, "", FrameDirection.ToClient, FrameTrigger.AfterTime(TimeSpan.FromDays(60)))), "action.close.afterMs: must be ≥ 0 and at most 86400000 (24 h)" },
        { FaultRule.Create(new DelayAction(DelayDistribution.Fixed(TimeSpan.FromDays(60)))), "action.delay.ms: must be ≥ 0 and at most 86400000 (24 h)" },
        { FaultRule.Create(new ColdStartGateAction(TimeSpan.FromDays(60))), "action.coldStart.readyAfterMs: must be ≥ 0 and at most 86400000 (24 h)" },
        { FaultRule.Create(new ResetAction(), window: new FaultWindow(TimeSpan.FromDays(60), null, ClockOrigin.Rule)), "window.afterMs: must be ≥ 0" },
        { FaultRule.Create(new FrameDropAction(FrameDirection.Both, FrameMatch.All), new RequestMatch(WebSocket: false)), "match.websocket: is false" },
        { FaultRule.Create(new ResetAction(), probability: double.NaN), "probability: must be between 0 and 1" },
    };

    [Theory]
    [MemberData(nameof(InvalidRules))]
    public async Task An_invalid_rule_from_csharp_is_an_argument_error_naming_the_field_and_nothing_is_applied(FaultRule invalid, string expected)
    {
        await using var h = await ProxyHarness.StartAsync();

        var error = Assert.Throws<ArgumentException>(() => h.Proxy.Rules.AddRange([FaultRule.Create(new ResetAction(), id: "good"), invalid]));

        Assert.Contains($"rule [1]: {expected}", error.Message);
        Assert.Equal(0, h.Proxy.Rules.Count);
        using var listed = await h.AdminHttp.GetAsync("/rules");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        using var traffic = await h.Http.GetAsync("/api/x");
        Assert.Equal(HttpStatusCode.OK, traffic.StatusCode);
    }
}
