using Replica.Proxy.Edge.Faults;
using Replica.Proxy.Edge.Faults.Actions;
using Replica.Proxy.Edge.Faults.Matching;
using Replica.Proxy.Edge.Faults.Parsing;

namespace Replica.Proxy.Edge.Tests;

public sealed class RuleParserTests
{
    [Theory]
    [InlineData("""{"action":{"explode":{}}}""", "action.explode: unknown action 'explode'; expected one of delay, abort")]
    [InlineData("""{"action":{"delay":{"ms":-5}}}""", "action.delay.ms: must be ≥ 0")]
    [InlineData("""{"probability":1.5,"action":{"reset":{}}}""", "probability: must be between 0 and 1")]
    [InlineData("""{"probability":"often","action":{"reset":{}}}""", "probability: must be a number, not the string \"often\"")]
    [InlineData("""{"match":{"path":"api/**"},"action":{"reset":{}}}""", "match.path: invalid glob 'api/**': must start with '/'")]
    [InlineData("""{"match":{"path":"/a/[bc]"},"action":{"reset":{}}}""", "match.path: invalid glob '/a/[bc]': character '[' at position 3 is not supported")]
    [InlineData("""{"match":{"path":"/a/***"},"action":{"reset":{}}}""", "match.path: invalid glob '/a/***': '***' is not a valid wildcard")]
    [InlineData("""{"action":{"abort":{"status":99}}}""", "action.abort.status: must be between 200 and 599")]
    [InlineData("""{"action":{"abort":{}}}""", "action.abort.status: is required")]
    [InlineData("""{}""", "action: is required")]
    [InlineData("""{"action":{}}""", "action: must name one action")]
    [InlineData("""{"action":{"delay":{"ms":1},"reset":{}}}""", "action: must name exactly one action, found delay, reset")]
    [InlineData("""{"action":{"delay":{"ms":1,"msec":2}}}""", "action.delay.msec: unknown field")]
    [InlineData("""{"mtch":{},"action":{"reset":{}}}""", "mtch: unknown field")]
    [InlineData("""{"action":{"delay":{"p50Ms":10,"p95Ms":5,"p99Ms":20}}}""", "action.delay.p95Ms: percentiles must not decrease")]
    [InlineData("""{"action":{"delay":{"minMs":10}}}""", "action.delay.maxMs: is required")]
    [InlineData("""{"action":{"coldStart":{"readyAfterMs":100,"mode":"wait"}}}""", "action.coldStart.mode: must be one of 'reject', 'hold', not 'wait'")]
    [InlineData("""{"action":{"close":{"code":1006,"afterFrames":1}}}""", "action.close.code: 1006 is reserved")]
    [InlineData("""{"action":{"close":{"code":1011}}}""", "action.close.afterFrames: give exactly one trigger")]
    [InlineData("""{"action":{"close":{"code":1011,"afterFrames":1,"afterMs":5}}}""", "action.close.afterMs: give exactly one trigger")]
    [InlineData("""{"action":{"frameInject":{"afterFrames":1}}}""", "action.frameInject.text: give exactly one of text")]
    [InlineData("""{"action":{"frameInject":{"direction":"both","text":"x","afterFrames":1}}}""", "action.frameInject.direction: must be one of 'toClient', 'toUpstream'")]
    [InlineData("""{"match":{"websocket":false},"action":{"frameDrop":{}}}""", "match.websocket: is false, but action 'frameDrop' acts on WebSocket frames only")]
    [InlineData("""{"window":{"afterMs":-1},"action":{"reset":{}}}""", "window.afterMs: must be ≥ 0")]
    [InlineData("""{"id":"has space","action":{"reset":{}}}""", "id: must be 1 to 100 characters")]
    [InlineData("""{"action":{"bandwidth":{"bytesPerSecond":0}}}""", "action.bandwidth.bytesPerSecond: must be ≥ 1")]
    [InlineData("""[{"action":{"reset":{}}},{"action":{"delay":{"ms":-1}}}]""", "[1].action.delay.ms: must be ≥ 0")]
    [InlineData("""{"action":""", "not valid JSON")]
    [InlineData("""{"window":{"forMs":1e300},"action":{"reset":{}}}""", "window.forMs: must be ≥ 0 and at most 86400000 (24 h)")]
    [InlineData("""{"action":{"delay":{"p50Ms":1,"p95Ms":2,"p99Ms":9e9}}}""", "action.delay.p99Ms: must be ≥ 0 and at most 86400000 (24 h)")]
    [InlineData("""{"action":{"delay":{"ms":86400000,"jitterMs":1}}}""", "action.delay.jitterMs: ms + jitterMs must be at most 86400000")]
    [InlineData("""{"action":{"frameDelay":{"minMs":0,"maxMs":1e10}}}""", "action.frameDelay.maxMs: must be ≥ 0 and at most 86400000 (24 h)")]
    [InlineData("""{"action":{"frameInject":{"text":"x","afterMs":5e9}}}""", "action.frameInject.afterMs: must be ≥ 0 and at most 86400000 (24 h)")]
    [InlineData("""{"action":{"bandwidth":{"bytesPerSecond":1e300}}}""", "action.bandwidth.bytesPerSecond: must be ≥ 1 and at most 1000000000000")]
    [InlineData("""{"action":{"abort":{"status":503,"headers":{"Retry-After":"1\r\nSet-Cookie: x"}}}}""", "action.abort.headers.Retry-After: must be printable ASCII")]
    [InlineData("""{"action":{"abort":{"status":503,"headers":{"":"1"}}}}""", "action.abort.headers.: is not a valid header name")]
    [InlineData("""{"action":{"close":{"code":1000,"reason":"ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé","afterFrames":1}}}""", "action.close.reason: must be at most 123 bytes")]
    public void Bad_input_is_reported_with_the_field_and_yields_no_rule(string json, string expected)
    {
        var result = FaultRuleParser.Parse(json);

        Assert.False(result.Succeeded);
        Assert.Empty(result.Rules);
        Assert.Contains(result.Errors, e => e.ToString().StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var result = FaultRuleParser.Parse("""{"probability":2,"match":{"path":"x"},"action":{"delay":{"ms":-1}}}""");

        Assert.Equal(["action.delay.ms", "match.path", "probability"], result.Errors.Select(e => e.Field).Order());
    }

    public static TheoryData<FaultRule> Rules() =>
    [
        FaultRule.Create(new DelayAction(DelayDistribution.Fixed(TimeSpan.FromMilliseconds(200))), id: "d"),
        FaultRule.Create(new DelayAction(DelayDistribution.Uniform(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300)))),
        FaultRule.Create(new DelayAction(DelayDistribution.Percentiles(130, 400, 900))),
        FaultRule.Create(new AbortAction(503, """{"detail":"x","n":[1,2]}""", [new("Retry-After", "5")]),
            new RequestMatch("backend", PathGlob.Parse("/api/**"), "POST", [new HeaderMatch("X-A", "1"), new HeaderMatch("X-B", null)], false),
            probability: 0.25, window: new FaultWindow(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), ClockOrigin.Proxy), id: "a-1"),
        FaultRule.Create(new ResetAction()),
        FaultRule.Create(new ColdStartGateAction(TimeSpan.FromSeconds(5), GateMode.Hold, ClockOrigin.Proxy, 502)),
        FaultRule.Create(new BandwidthAction(1024)),
        FaultRule.Create(new FrameDelayAction(FrameDirection.Both, DelayDistribution.Fixed(TimeSpan.FromMilliseconds(50)), FrameMatch.Field("type", "ping")), new RequestMatch(WebSocket: true)),
        FaultRule.Create(new FrameDropAction(FrameDirection.ToClient, FrameMatch.Field("payload.status", "done"))),
        FaultRule.Create(new FrameInjectAction(FrameDirection.ToUpstream, FrameTrigger.AfterTime(TimeSpan.FromMilliseconds(20)), "{\"type\":\"x\"}")),
        FaultRule.Create(new CloseAction(1011, "Internal error", FrameDirection.ToUpstream, FrameTrigger.When(FrameMatch.Field("type", "user_message")))),
        FaultRule.Create(new CloseAction(4000, "", FrameDirection.Both, FrameTrigger.AfterFrameCount(3))),
    ];

    [Theory]
    [MemberData(nameof(Rules))]
    public void Written_rules_parse_back_to_the_same_value(FaultRule rule)
    {
        var json = FaultRuleWriter.Write(rule).ToJsonString();

        var result = FaultRuleParser.Parse(json);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(rule, result.Rules.Single());
    }

    [Fact]
    public void Shorthand_forms_read_as_expected()
    {
        var jitter = FaultRuleParser.Parse("""{"action":{"delay":{"ms":200,"jitterMs":50}}}""").Rules.Single();
        var header = FaultRuleParser.Parse("""{"match":{"headers":{"X-Test":"*"}},"action":{"reset":{}}}""").Rules.Single();
        var json = FaultRuleParser.Parse("""{"action":{"frameInject":{"json":{"type":"x"},"afterFrames":1}}}""").Rules.Single();

        Assert.Equal(new DelayDistribution(150, 250), ((DelayAction)jitter.Action).Delay);
        Assert.Equal(new HeaderMatch("X-Test", null), header.Match.Headers!.Single());
        Assert.Equal("{\"type\":\"x\"}", ((FrameInjectAction)json.Action).Text);
    }
}
