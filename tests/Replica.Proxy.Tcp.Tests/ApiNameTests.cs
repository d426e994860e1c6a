using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>
/// Proxy and toxic names must be addressable again through the API's own URLs: names the API could not reach later
/// (control characters, '/', dot segments, longer than 255 bytes) are a 400 saying so, and nothing is created;
/// every other name round-trips through /proxies/{name} and /proxies/{name}/toxics/{toxic}, percent-encoded.
/// </summary>
public sealed class ApiNameTests : ApiTestBase
{
    public static TheoryData<string, string> Unaddressable => new()
    {
        { "\\u0000fz-1", "the control character U+0000 at position 0" },
        { "a\\u0000bx", "the control character U+0000 at position 1" },
        { "tab\\there", "the control character U+0009 at position 3" },
        { "../../etc", "'/' at position 2" },
        { "..", "'..' is a dot segment of a URL" },
        { new string('n', 256), "it is 256 bytes long" },
        { new string('é', 128), "it is 256 bytes long" },
        { new string('x', 100 * 1024), "it is 102400 bytes long" },
    };

    [Theory]
    [MemberData(nameof(Unaddressable))]
    public async Task A_proxy_name_the_api_could_not_address_is_a_400_and_nothing_is_created(string name, string reason)
    {
        var response = await Api.PostAsync("/proxies", $$"""{"name":"{{name}}","listen":"127.0.0.1:0","upstream":"127.0.0.1:1","enabled":false}""");
        var populate = await Api.PostAsync("/populate", $$"""[{"name":"fine","upstream":"127.0.0.1:1","enabled":false},{"name":"{{name}}","upstream":"127.0.0.1:1","enabled":false}]""");

        Assert.Equal(400, response.Code);
        Assert.StartsWith("invalid proxy name ", Error(response));
        Assert.Contains(reason, Error(response));
        Assert.EndsWith("so that the API's URLs can address it", Error(response));
        Assert.Equal(400, populate.Code);
        Assert.Contains(" at proxy 2: ", Error(populate));
        Assert.Equal("{}", (await Api.GetAsync("/proxies")).Body);
    }

    [Theory]
    [MemberData(nameof(Unaddressable))]
    public async Task A_toxic_name_the_api_could_not_address_is_a_400_and_nothing_is_added(string name, string reason)
    {
        await CreateProxyAsync("p");

        var response = await Api.PostAsync("/proxies/p/toxics", $$"""{"name":"{{name}}","type":"latency"}""");

        Assert.Equal(400, response.Code);
        Assert.StartsWith("invalid toxic name ", Error(response));
        Assert.Contains(reason, Error(response));
        Assert.Equal("[]", (await Api.GetAsync("/proxies/p/toxics")).Body);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("with space")]
    [InlineData("q?uery#frag%25")]
    [InlineData("é-ünïcode-😀")]
    [InlineData(".hidden")]
    [InlineData("...")]
    [InlineData("back\\\\slash")]
    public async Task Any_other_name_round_trips_through_the_urls(string jsonName)
    {
        var name = System.Text.Json.JsonSerializer.Deserialize<string>($"\"{jsonName}\"")!;
        var segment = Uri.EscapeDataString(name);

        var created = await Api.PostAsync("/proxies", $$"""{"name":"{{jsonName}}","listen":"127.0.0.1:0","upstream":"127.0.0.1:1","enabled":false}""");
        var toxic = await Api.PostAsync($"/proxies/{segment}/toxics", $$"""{"name":"{{jsonName}}","type":"noop"}""");
        var got = await Api.GetAsync($"/proxies/{segment}/toxics/{segment}");
        var removedToxic = await Api.SendAsync("DELETE", $"/proxies/{segment}/toxics/{segment}");
        var removed = await Api.SendAsync("DELETE", $"/proxies/{segment}");

        Assert.Equal(201, created.Code);
        Assert.Equal(200, toxic.Code);
        Assert.Equal(200, got.Code);
        Assert.Equal(204, removedToxic.Code);
        Assert.Equal(204, removed.Code);
        Assert.Equal("{}", (await Api.GetAsync("/proxies")).Body);
    }

    [Fact]
    public async Task The_longest_name_round_trips()
    {
        var name = new string('é', 127) + "x";
        var segment = Uri.EscapeDataString(name);

        var created = await Api.PostAsync("/proxies", $$"""{"name":"{{name}}","upstream":"127.0.0.1:1","enabled":false}""");
        var toxic = await Api.PostAsync($"/proxies/{segment}/toxics", $$"""{"name":"{{name}}","type":"noop"}""");
        var removedToxic = await Api.SendAsync("DELETE", $"/proxies/{segment}/toxics/{segment}");
        var removed = await Api.SendAsync("DELETE", $"/proxies/{segment}");

        Assert.Equal((201, 200, 204, 204), (created.Code, toxic.Code, removedToxic.Code, removed.Code));
    }

    private static string Error(RawResponse response)
    {
        using var body = System.Text.Json.JsonDocument.Parse(response.Body);
        return body.RootElement.GetProperty("error").GetString()!;
    }
}
