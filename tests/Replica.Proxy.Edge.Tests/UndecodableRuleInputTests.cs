using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Replica.Proxy.Edge.Faults;
using Replica.Proxy.Edge.Faults.Actions;
using Replica.Tests.Support;

namespace Replica.Proxy.Edge.Tests;

/// <summary>
/// The fuzz findings of the hardening issue, each one a regression test: JSON that parses but holds strings that do
/// not decode (lone surrogates, bytes that are not UTF-8) is a 400 naming the field or the byte offset, nothing is
/// installed, and the rule listing and the edge's traffic are exactly as before.
/// </summary>
public sealed class UndecodableRuleInputTests
{
    public static TheoryData<string, string> InstalledDespiteA500 => new()
    {
        { """{"match":{"path":"/fz-never"},"action":{"abort":{"status":503,"body":{"detail":"\ud800"}}}}""", "action.abort.body.detail" },
        { """{"action":{"abort":{"status":503,"body":{"detail":"\ud800"}}}}""", "action.abort.body.detail" },
        { """{"action":{"abort":{"status":503,"body":{"\ud800":1}}}}""", "action.abort.body" },
        { """{"action":{"abort":{"status":503,"body":"\udfff"}}}""", "action.abort.body" },
        { """{"action":{"frameDrop":{"frame":{"type":"\udfff"}}}}""", "action.frameDrop.frame.type" },
        { """{"action":{"frameDelay":{"ms":10,"frame":{"type":"\ud800"}}}}""", "action.frameDelay.frame.type" },
        { """[{"id":"fz-ok","action":{"reset":{}}},{"action":{"abort":{"status":503,"body":{"detail":"\ud800"}}}}]""", "[1].action.abort.body.detail" },
        { "\"\\ud800\"", "" },
        { """{"id":"\ud800","action":{"reset":{}}}""", "id" },
        { """{"action":{"close":{"code":1011,"reason":"\udc00x","afterFrames":1}}}""", "action.close.reason" },
        { """{"match":{"headers":{"X-A":"\ud83d"}},"action":{"reset":{}}}""", "match.headers.X-A" },
        { """{"action":{"frameInject":{"text":"a\ud800\ud800","afterFrames":1}}}""", "action.frameInject.text" },
    };

    [Theory]
    [MemberData(nameof(InstalledDespiteA500))]
    public async Task A_lone_surrogate_anywhere_is_a_400_naming_the_field_and_nothing_changes(string body, string field)
    {
        await using var h = await ProxyHarness.StartAsync();
        h.Proxy.Rules.Add(FaultRule.Create(new DelayAction(new DelayDistribution(1, 1)), id: "before"));
        var before = await ListAsync(h);

        using var response = await h.AdminHttp.PostAsync("/rules", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertRefusedAsync(h, response, field, "lone surrogate", before);
    }

    [Theory]
    [InlineData(new byte[] { 0xff, 0xfe }, "{\"action\":{\"frameDrop\":{\"frame\":{\"type\":\"", "\"}}}}", "action.frameDrop.frame.type", 41)]
    [InlineData(new byte[] { 0xff }, "{\"", "\":1,\"action\":{\"reset\":{}}}", "", 2)]
    [InlineData(new byte[] { 0xc3, 0x28 }, "{\"id\":\"", "\",\"action\":{\"reset\":{}}}", "id", 7)]
    public async Task Bytes_that_are_not_utf8_are_a_400_naming_the_byte_offset_and_nothing_changes(byte[] bad, string head, string tail, string field, int offset)
    {
        await using var h = await ProxyHarness.StartAsync();
        var before = await ListAsync(h);
        byte[] body = [.. Encoding.UTF8.GetBytes(head), .. bad, .. Encoding.UTF8.GetBytes(tail)];

        using var response = await h.AdminHttp.PostAsync("/rules", new ByteArrayContent(body));

        var message = await AssertRefusedAsync(h, response, field, "not valid UTF-8", before);
        Assert.Contains($"byte offset {offset}:", message);
    }

    [Fact]
    public async Task Malformed_json_names_the_byte_offset()
    {
        await using var h = await ProxyHarness.StartAsync();

        using var response = await h.AdminHttp.PostAsync("/rules", new StringContent("{\n  \"action\": {\"reset\": {}},\n  oops\n}", Encoding.UTF8));
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("not valid JSON at byte offset 31 (line 3, column 3):", json.GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_in_the_apis_shape()
    {
        await using var h = await ProxyHarness.StartAsync();

        // The client announces the body and waits for the server's go-ahead (Expect: 100-continue), as careful clients
        // of large uploads do: the API answers 413 from the announced length before any of it is sent. A client that
        // streams the body regardless can be cut off by the 413's connection close while still writing (broken pipe).
        using var careful = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(1) }) { BaseAddress = h.AdminHttp.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/rules")
        {
            Content = new StringContent($"{{\"id\":\"{new string('a', 2 * 1024 * 1024)}\"}}", Encoding.UTF8),
        };
        request.Headers.ExpectContinue = true;
        using var response = await careful.SendAsync(request);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than", json.GetProperty("detail").GetString());
        Assert.Equal(0, h.Proxy.Rules.Count);
    }

    [Fact]
    public async Task A_rule_built_in_csharp_that_could_not_be_listed_is_refused_with_its_batch()
    {
        await using var h = await ProxyHarness.StartAsync();
        var good = FaultRule.Create(new ResetAction(), id: "good");
        var bad = FaultRule.Create(new CloseAction(1011, "bad \ud800", FrameDirection.ToClient, FrameTrigger.AfterFrameCount(1)), id: "bad");

        var error = Assert.Throws<ArgumentException>(() => h.Proxy.Rules.AddRange([good, bad]));

        Assert.Contains("rule 'bad': action.close.reason: is not Unicode text", error.Message);
        Assert.Equal(0, h.Proxy.Rules.Count);
        Assert.Equal("[]", await ListAsync(h));
    }

    private static async Task<string> ListAsync(ProxyHarness h)
    {
        using var response = await h.AdminHttp.GetAsync("/rules");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return json.GetProperty("rules").GetRawText();
    }

    private static async Task<string> AssertRefusedAsync(ProxyHarness h, HttpResponseMessage response, string field, string reason, string before)
    {
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid rule; nothing was applied", json.GetProperty("detail").GetString());
        var error = Assert.Single(json.GetProperty("errors").EnumerateArray());
        Assert.Equal(field, error.GetProperty("field").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains(reason, message);
        Assert.Equal(before, await ListAsync(h));
        using var traffic = await h.Http.GetAsync("/api/x");
        Assert.Equal(HttpStatusCode.OK, traffic.StatusCode);
        return message;
    }
}
