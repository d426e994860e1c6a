using System.Text;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>
/// The hardening issue's findings on the Toxiproxy API: strings that do not decode are Toxiproxy's 400
/// "bad request body: …" naming the field and the byte offset (Go would store U+FFFD instead; never a 500 with a .NET
/// exception's text), and nothing changes: the listing is byte for byte what it was.
/// </summary>
public sealed class ApiUndecodableInputTests : ApiTestBase
{
    [Theory]
    [InlineData("/proxies", """{"name":"\ud800","upstream":"127.0.0.1:1","enabled":false}""", "invalid string in field name at byte offset 9: \\ud800 is a lone surrogate")]
    [InlineData("/proxies", """{"name":"ok","upstream":"127.0.0.1:1","enabled":false,"toxics":[{"type":"latency","stream":"\udfff"}]}""", "invalid string in field toxics[0].stream at byte offset")]
    [InlineData("/populate", """[{"name":"ok","upstream":"127.0.0.1:1"},{"name":"b\udc00","upstream":"127.0.0.1:1"}]""", "invalid string in field [1].name at byte offset")]
    [InlineData("/populate", "\"\\ud800\"", "invalid string at byte offset 1: \\ud800 is a lone surrogate")]
    [InlineData("/proxies/existing/toxics", """{"type":"\ud800","attributes":{"rate":100}}""", "invalid string in field type at byte offset 9")]
    [InlineData("/proxies/existing/toxics", """{"type":"startup_delay","attributes":{"mode":"\ud800"}}""", "invalid string in field attributes.mode")]
    [InlineData("/proxies/existing/toxics/kept", """{"attributes":{"\ud800":1}}""", "invalid string in field attributes at byte offset 16: a property name")]
    [InlineData("/proxies/existing", """{"upstream":"\ud800"}""", "invalid string in field upstream")]
    public async Task A_lone_surrogate_is_a_400_naming_field_and_offset_and_nothing_changes(string path, string body, string message)
    {
        var before = await ExistingProxyAsync();

        var response = await Api.PostAsync(path, body);

        Assert.Equal(400, response.Code);
        using var error = System.Text.Json.JsonDocument.Parse(response.Body);
        Assert.StartsWith("bad request body: " + message, error.RootElement.GetProperty("error").GetString());
        Assert.Equal(before, (await Api.GetAsync("/proxies")).Body);
    }

    [Fact]
    public async Task Bytes_that_are_not_utf8_are_a_400_naming_the_byte_offset()
    {
        var before = await ExistingProxyAsync();
        byte[] body = [.. "{\"name\":\"x"u8, 0xff, 0xfe, .. "\",\"upstream\":\"127.0.0.1:1\"}"u8];

        var response = await Api.SendBytesAsync("POST", "/proxies", body);

        Assert.Equal(400, response.Code);
        Assert.Contains("bad request body: invalid string in field name at byte offset 10: byte 0xFF is not valid UTF-8", response.Body);
        Assert.Equal(before, (await Api.GetAsync("/proxies")).Body);
    }

    [Fact]
    public async Task Bad_bytes_after_the_first_value_are_ignored_as_toxiproxy_ignores_trailing_bytes()
    {
        byte[] body = [.. Encoding.UTF8.GetBytes($$"""{"name":"tail","listen":"127.0.0.1:0","upstream":"{{Upstream.Address}}"}"""), 0xff];

        var response = await Api.SendBytesAsync("POST", "/proxies", body);

        Assert.Equal(201, response.Code);
    }

    private async Task<string> ExistingProxyAsync()
    {
        await CreateProxyAsync("existing");
        Assert.Equal(200, (await Api.PostAsync("/proxies/existing/toxics", """{"name":"kept","type":"latency","attributes":{"latency":5}}""")).Code);
        return (await Api.GetAsync("/proxies")).Body;
    }
}
