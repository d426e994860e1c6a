using System.Net.Sockets;
using Replica.Proxy.Tcp;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>/version, /reset, routing (404, 405), the browser block, the request id, lenient bodies.</summary>
public sealed class ApiServerEndpointTests : ApiTestBase
{
    [Fact]
    public async Task Version_is_a_plain_numeric_version_in_tox_proxys_exact_body()
    {
        var response = await Api.GetAsync("/version");

        Assert.Equal(200, response.Code);
        Assert.Equal("{\"version\": \"2.12.0\"}\n", response.Body);
        Assert.Equal("application/json;charset=utf-8", response.ContentType?.Replace(" ", ""));
        Assert.True(Version.TryParse("2.12.0", out _));
    }

    [Fact]
    public async Task An_api_host_too_long_to_resolve_is_a_clear_error()
    {
        var host = new string('a', 300);

        var error = await Assert.ThrowsAsync<ToxiproxyException>(() => ToxiproxyServer.StartAsync(new ToxiproxyServerOptions { Host = host, Port = 0 }));

        Assert.Equal($"cannot resolve API host {host}", error.Message);
    }

    [Fact]
    public async Task Matched_routes_carry_a_request_id()
    {
        var first = await Api.GetAsync("/version");
        var second = await Api.GetAsync("/proxies");

        Assert.Matches("^[0-9a-v]{20}$", first.RequestId!);
        Assert.NotEqual(first.RequestId, second.RequestId);
    }

    [Fact]
    public async Task No_proxies_lists_as_an_empty_object()
    {
        var response = await Api.GetAsync("/proxies");

        Assert.Equal(200, response.Code);
        Assert.Equal("{}", response.Body);
        Assert.Equal("application/json", response.ContentType);
    }

    [Theory]
    [InlineData("/nope")]
    [InlineData("/proxies/")]
    [InlineData("/")]
    [InlineData("/proxies/a/b")]
    [InlineData("/metrics")]
    public async Task Unknown_paths_are_404_with_gos_text(string path)
    {
        var response = await Api.GetAsync(path);

        Assert.Equal(404, response.Code);
        Assert.Equal("404 page not found\n", response.Body);
        Assert.Null(response.RequestId);
    }

    [Theory]
    [InlineData("DELETE", "/version")]
    [InlineData("PUT", "/proxies")]
    [InlineData("GET", "/reset")]
    [InlineData("GET", "/populate")]
    [InlineData("PUT", "/proxies/x")]
    [InlineData("DELETE", "/proxies/x/toxics")]
    [InlineData("PUT", "/proxies/x/toxics/y")]
    public async Task Wrong_methods_are_405_with_no_body(string method, string path)
    {
        var response = await Api.SendAsync(method, path);

        Assert.Equal(405, response.Code);
        Assert.Equal("", response.Body);
    }

    [Fact]
    public async Task Browsers_are_refused_and_other_agents_pass()
    {
        var browser = await Api.SendAsync("GET", "/proxies", userAgent: "Mozilla/5.0 (X11; Linux x86_64)");
        var wget = await Api.SendAsync("GET", "/proxies", userAgent: "Wget/2.1");

        Assert.Equal(403, browser.Code);
        Assert.Equal("User agent not allowed\n", browser.Body);
        Assert.Equal(200, wget.Code);
    }

    [Fact]
    public async Task Reset_removes_toxics_and_enables_disabled_proxies()
    {
        await CreateProxyAsync("one");
        await CreateProxyAsync("two", enabled: false);
        Assert.Equal(200, (await Api.PostAsync("/proxies/one/toxics", """{"type":"latency","attributes":{"latency":100,"jitter":10}}""")).Code);

        var response = await Api.SendAsync("POST", "/reset");

        Assert.Equal(204, response.Code);
        Assert.Equal("", response.Body);
        Assert.Empty(Server.Proxies.Get("one").Toxics);
        Assert.True(Server.Proxies.Get("two").Enabled);
        Assert.Equal(SocketError.Success, await Sockets.TryConnectAsync(Server.Proxies.Get("two").ListenEndPoint!));
    }

    [Fact]
    public async Task Reset_answers_500_when_a_disabled_proxys_port_was_taken_meanwhile()
    {
        var listen = await CreateProxyAsync("one");
        Assert.Equal(200, (await Api.PostAsync("/proxies/one", """{"enabled":false}""")).Code);
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(System.Net.IPEndPoint.Parse(listen));
        squatter.Listen();

        AssertError(await Api.PostAsync("/reset", null), 500, $"listen tcp {listen}: bind: address already in use");
        Assert.False(Server.Proxies.Get("one").Enabled);
    }

    [Fact]
    public async Task Bodies_are_json_whatever_the_content_type_with_keys_in_any_case_and_trailing_bytes_ignored()
    {
        var form = await Api.SendAsync("POST", "/proxies", $$"""{"Name":"a","LISTEN":"127.0.0.1:0","Upstream":"{{Upstream.Address}}","Enabled":true,"unknown":1} trailing""", "application/x-www-form-urlencoded");
        var none = await Api.SendAsync("POST", "/proxies", $$"""{"name":"b","upstream":"{{Upstream.Address}}","listen":"127.0.0.1:0"}""", "text/plain");

        Assert.Equal(201, form.Code);
        Assert.Equal(201, none.Code);
        Assert.True(Server.Proxies.Get("a").Enabled);
        Assert.True(Server.Proxies.Get("b").Enabled);
    }

    [Fact]
    public async Task Errors_name_what_was_wrong_and_the_server_keeps_serving()
    {
        var notJson = await Api.PostAsync("/proxies", "not json");
        Assert.Equal(400, notJson.Code);
        Assert.StartsWith("{\"error\":\"bad request body: invalid JSON at line 1, column 2: ", notJson.Body);
        AssertError(await Api.PostAsync("/proxies", ""), 400, "bad request body: EOF");
        AssertError(await Api.PostAsync("/proxies", "[1]"), 400, "bad request body: json: cannot unmarshal array into proxy of type object");
        AssertError(await Api.PostAsync("/proxies", """{"name":5}"""), 400, "bad request body: json: cannot unmarshal number into field name of type string");
        AssertError(await Api.PostAsync("/proxies", """{"name":"x","upstream":"y","enabled":"yes"}"""), 400, "bad request body: json: cannot unmarshal string into field enabled of type bool");

        Assert.Equal(200, (await Api.GetAsync("/version")).Code);
    }
}
