using System.Net;
using System.Text;
using System.Text.Json;
using CsCheck;
using Replica.Proxy.Edge.Faults.Parsing;
using Replica.Tests.Support;
using Xunit.Abstractions;
using static Replica.Tests.Support.FuzzJson;

namespace Replica.Proxy.Edge.Tests;

/// <summary>
/// The edge proxy's admin API over real HTTP to a real in-process proxy: rules built from the documented fields with
/// hostile values, then damaged byte by byte, and other requests to every route. Properties: never a 5xx; an error
/// is in the API's shape and changes nothing (the listing is as before); an accepted rule is listed, and what is
/// listed parses back as a rule.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class EdgeAdminApiFuzzTests(ITestOutputHelper output)
{
    private static readonly Gen<byte[]> Ms = Mostly(Num);

    private static readonly Gen<byte[]> Frame = ObjectOf([Field("type", Mostly(Str)), Field(Str, Value(1), 1)]);

    private static readonly Gen<byte[]> Direction = Mostly(Gen.OneOf("toClient", "toUpstream", "both", "ToClient", "sideways").Select(Text));

    private static readonly Gen<byte[]> Action = Gen.OneOf(
        ObjectOf([Field("delay", ObjectOf([Field("ms", Ms), Field("jitterMs", Ms, 1), Field("minMs", Ms, 1), Field("maxMs", Ms, 1), Field("p50Ms", Ms, 1), Field("p95Ms", Ms, 1), Field("p99Ms", Ms, 1)]), 4)]),
        ObjectOf([Field("abort", ObjectOf([Field("status", Mostly(Num)), Field("body", Value(2)), Field("headers", ObjectOf([Field(Str, Mostly(Str)), Field(Gen.Const(Text("Retry-After")), Mostly(Str))]), 2)]), 4)]),
        ObjectOf([Field("reset", Gen.OneOf("{}", "{\"x\":1}", "[]", "null").Select(Raw), 4)]),
        ObjectOf([Field("coldStart", ObjectOf([Field("readyAfterMs", Ms), Field("mode", Mostly(Gen.OneOf("reject", "hold").Select(Text))), Field("from", Mostly(Gen.OneOf("rule", "proxy").Select(Text)), 1), Field("status", Num, 1)]), 4)]),
        ObjectOf([Field("bandwidth", ObjectOf([Field("bytesPerSecond", Num)]), 4)]),
        ObjectOf([Field("frameDelay", ObjectOf([Field("direction", Direction), Field("frame", Mostly(Frame)), Field("ms", Ms)]), 4)]),
        ObjectOf([Field("frameDrop", ObjectOf([Field("direction", Direction), Field("frame", Mostly(Frame))]), 4)]),
        ObjectOf([Field("frameInject", ObjectOf([Field("direction", Direction), Field("text", Str, 2), Field("json", Value(2), 2), Field("afterFrames", Num, 2), Field("afterMs", Ms, 1), Field("onFrame", Frame, 1)]), 4)]),
        ObjectOf([Field("close", ObjectOf([Field("code", Mostly(Num)), Field("reason", Str), Field("direction", Direction), Field("afterFrames", Num, 2), Field("afterMs", Ms, 1), Field("onFrame", Frame, 1)]), 4)]),
        ObjectOf([Field(Str, ObjectOf([]), 4), Field("reset", Gen.Const(Raw("{}")), 1)]));

    private static readonly Gen<byte[]> Rule = ObjectOf([
        Field("id", Mostly(Gen.Frequency((3, (IGen<byte[]>)Gen.Int[1, 30].Select(i => Text($"fz-{i}"))), (1, Str)))),
        Field("match", Mostly(ObjectOf([
            Field("route", Mostly(Gen.OneOf("backend", "auth", "nope").Select(Text)), 1),
            Field("path", Mostly(Gen.OneOf("/api/**", "/fz-never", "/ws", "/a/*/b", "**", "/x?", "api", "/a/{b}", "/***", "/a[").Select(Text)), 2),
            Field("method", Mostly(Gen.OneOf("GET", "post", "P-Q", "").Select(Text)), 1),
            Field("headers", ObjectOf([Field(Str, Gen.Frequency((3, (IGen<byte[]>)Str), (1, Gen.OneOf("null", "\"*\"", "1").Select(Raw))))]), 1),
            Field("websocket", Mostly(Gen.OneOf("true", "false").Select(Raw)), 1)])), 2),
        Field("probability", Num, 1),
        Field("window", Mostly(ObjectOf([Field("afterMs", Ms), Field("forMs", Ms), Field("from", Mostly(Gen.OneOf("rule", "proxy").Select(Text)))])), 1),
        Field("action", Mostly(Action), 4),
        Field(Str, Value(1), 1),
    ]);

    /// <summary>A request: POST /rules (one rule, an array, any value) or another route; the body possibly damaged.</summary>
    private static readonly Gen<(string Method, string Path, byte[]? Body)> Request = Gen.Frequency(
        (8, (IGen<(string, string, byte[]?)>)Mutated(Rule).Select(b => ("POST", "/rules", (byte[]?)b))),
        (2, Mutated(ArrayOf(Rule, 0, 3)).Select(b => ("POST", "/rules", (byte[]?)b))),
        (1, Mutated(Value(2)).Select(b => ("POST", "/rules", (byte[]?)b))),
        (1, Gen.Select(Gen.OneOf("GET", "POST", "DELETE", "PUT", "PATCH"),
            Gen.OneOf("/rules", "/rules/fz-1", "/rules/%00", "/rules/..%2F", "/health", "/counters", "/metrics", "/upstreams",
                "/upstreams/backend/restarted", "/upstreams/%C3%28/restarted", "/nope", "/rules/" + new string('x', 3000)),
            (m, p) => (m, p, (byte[]?)null))));

    [Fact]
    public async Task Ten_thousand_requests_get_no_5xx_and_errors_change_nothing()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var baseline = await h.AdminHttp.PostAsync("/rules", new StringContent("""{"id":"fz-base","match":{"path":"/fz-never"},"action":{"delay":{"ms":1}}}"""));
        Assert.Equal(HttpStatusCode.Created, baseline.StatusCode);
        var before = await ListingAsync(h);

        var outcomes = await FuzzRun.RunAsync("edge admin API", FuzzRun.Cases(10_000), Request, async request =>
        {
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
            if (request.Body is not null)
            {
                message.Content = new ByteArrayContent(request.Body);
            }
            using var response = await h.AdminHttp.SendAsync(message);
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsByteArrayAsync();
            if (status >= 500)
            {
                throw new InvalidOperationException($"{request.Method} {request.Path} answered {status}: {Encoding.UTF8.GetString(body)}");
            }
            var after = await ListingAsync(h);
            var outcome = $"{status}";
            if (request is { Method: "POST", Path: "/rules" } && status == 201)
            {
                // Accepted: listed, parseable again; then back to the baseline.
                foreach (var listed in JsonDocument.Parse(after).RootElement.EnumerateArray())
                {
                    var parsed = FaultRuleParser.Parse(listed.GetProperty("rule"));
                    if (!parsed.Succeeded)
                    {
                        throw new InvalidOperationException($"a listed rule does not parse back: {listed} ({string.Join("; ", parsed.Errors)})");
                    }
                }
                foreach (var added in JsonDocument.Parse(body).RootElement.GetProperty("rules").EnumerateArray())
                {
                    using var removed = await h.AdminHttp.DeleteAsync($"/rules/{Uri.EscapeDataString(added.GetProperty("id").GetString()!)}");
                    if (removed.StatusCode != HttpStatusCode.NoContent)
                    {
                        throw new InvalidOperationException($"rule {added} was accepted but cannot be deleted: {(int)removed.StatusCode}");
                    }
                }
                after = await ListingAsync(h);
            }
            else if (status >= 400 && status != 404 && status != 405 && body.Length == 0)
            {
                // Kestrel's own answer to a request line it refuses (a NUL in the path), before any handler runs.
                outcome = $"{status} (Kestrel, request line)";
            }
            else if (status >= 400 && status != 404 && status != 405 && request.Path.StartsWith("/rules", StringComparison.Ordinal))
            {
                var detail = JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString();
                if (string.IsNullOrEmpty(detail))
                {
                    throw new InvalidOperationException($"{status} without a detail");
                }
            }
            if (request.Method == "DELETE" && request.Path == "/rules")
            {
                // Cleared, baseline included: put it back; it is a new rule (a new addedAt) from here on.
                using var restored = await h.AdminHttp.PostAsync("/rules", new StringContent("""{"id":"fz-base","match":{"path":"/fz-never"},"action":{"delay":{"ms":1}}}"""));
                before = after = await ListingAsync(h);
            }
            if (after != before)
            {
                throw new InvalidOperationException($"{request.Method} {request.Path} answered {status} and the listing changed:\n  before {before}\n  after  {after}");
            }
            return outcome;
        }, r => $"{r.Method} {r.Path} {(r.Body is null ? "" : Show(r.Body))}", output);

        Assert.DoesNotContain(outcomes.Keys, k => k.StartsWith('5'));
    }

    private static async Task<string> ListingAsync(ProxyHarness h)
    {
        using var response = await h.AdminHttp.GetAsync("/rules");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET /rules answered {(int)response.StatusCode}");
        }
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        return json.RootElement.GetProperty("rules").GetRawText();
    }
}
