using System.Net.Sockets;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>/proxies and /proxies/{proxy}: shapes, field order, listen reporting, every error with its text.</summary>
public sealed class ApiProxyEndpointTests : ApiTestBase
{
    [Fact]
    public async Task Create_answers_201_with_the_bound_listen_and_fields_in_order()
    {
        var response = await Api.PostAsync("/proxies", $$"""{"name":"redis","listen":"localhost:0","upstream":"{{Upstream.Address}}"}""");

        var port = Server.Proxies.Get("redis").ListenEndPoint!.Port;
        Assert.Equal(201, response.Code);
        Assert.Equal("application/json", response.ContentType);
        Assert.Equal($$"""{"name":"redis","listen":"127.0.0.1:{{port}}","upstream":"{{Upstream.Address}}","enabled":true,"toxics":[]}""", response.Body);
        Assert.Equal(SocketError.Success, await Sockets.TryConnectAsync(Server.Proxies.Get("redis").ListenEndPoint!));
    }

    [Fact]
    public async Task A_disabled_proxy_reports_listen_as_given_and_does_not_listen()
    {
        var response = await Api.PostAsync("/proxies", """{"name":"off","listen":"localhost:3310","upstream":"one.com","enabled":false}""");

        Assert.Equal(201, response.Code);
        Assert.Equal("""{"name":"off","listen":"localhost:3310","upstream":"one.com","enabled":false,"toxics":[]}""", response.Body);
        Assert.Null(Server.Proxies.Get("off").ListenEndPoint);
    }

    [Fact]
    public async Task An_empty_listen_binds_every_interface_and_reports_the_ipv6_wildcard()
    {
        var response = await Api.PostAsync("/proxies", $$"""{"name":"any","upstream":"{{Upstream.Address}}"}""");

        Assert.Equal(201, response.Code);
        Assert.Matches("\"listen\":\"\\[::\\]:[0-9]+\"", response.Body);
    }

    [Fact]
    public async Task Required_fields_conflicts_and_bind_failures_have_tox_proxys_messages()
    {
        var listen = await CreateProxyAsync("one");

        AssertError(await Api.PostAsync("/proxies", """{"listen":"127.0.0.1:0","upstream":"x:1"}"""), 400, "missing required field: name");
        AssertError(await Api.PostAsync("/proxies", """{"name":"x","listen":"127.0.0.1:0"}"""), 400, "missing required field: upstream");
        AssertError(await Api.PostAsync("/proxies", """{"name":"one","listen":"127.0.0.1:0","upstream":"x:1"}"""), 409, "proxy already exists");
        AssertError(await Api.PostAsync("/proxies", $$"""{"name":"two","listen":"{{listen}}","upstream":"x:1"}"""), 500, $"listen tcp {listen}: bind: address already in use");
        AssertError(await Api.PostAsync("/proxies", """{"name":"three","listen":"local373","upstream":"x:1"}"""), 500, "listen tcp: address local373: missing port in address");
        AssertError(await Api.PostAsync("/proxies", """{"name":"four","listen":"127.0.0.1:99999","upstream":"x:1"}"""), 500, "listen tcp: address 127.0.0.1:99999: invalid port");
        var longHost = new string('a', 300); // too long for DNS: the resolver refuses it outright
        AssertError(await Api.PostAsync("/proxies", $$"""{"name":"five","listen":"{{longHost}}:0","upstream":"x:1"}"""), 500, $"listen tcp: lookup {longHost}: no such host");
        Assert.Equal(["one"], Server.Proxies.List().Select(p => p.Name));
    }

    [Fact]
    public async Task List_get_and_delete()
    {
        var one = await CreateProxyAsync("one");
        var two = await CreateProxyAsync("two");

        var list = await Api.GetAsync("/proxies");
        var get = await Api.GetAsync("/proxies/two");
        var delete = await Api.SendAsync("DELETE", "/proxies/one");

        Assert.Equal($$$"""{"one":{"name":"one","listen":"{{{one}}}","upstream":"{{{Upstream.Address}}}","enabled":true,"toxics":[]},"two":{"name":"two","listen":"{{{two}}}","upstream":"{{{Upstream.Address}}}","enabled":true,"toxics":[]}}""", list.Body);
        Assert.Equal($$"""{"name":"two","listen":"{{two}}","upstream":"{{Upstream.Address}}","enabled":true,"toxics":[]}""", get.Body);
        Assert.Equal(204, delete.Code);
        Assert.Equal("", delete.Body);
        AssertError(await Api.SendAsync("DELETE", "/proxies/one"), 404, "proxy not found");
        AssertError(await Api.GetAsync("/proxies/one"), 404, "proxy not found");
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PATCH")]
    public async Task Update_changes_only_the_fields_given(string method)
    {
        var listen = await CreateProxyAsync("one");

        var disabled = await Api.SendAsync(method, "/proxies/one", """{"enabled":false}""");
        var moved = await Api.SendAsync(method, "/proxies/one", """{"listen":"localhost:55555","upstream":"google.com","enabled":false}""");

        Assert.Equal(200, disabled.Code);
        Assert.Equal($$"""{"name":"one","listen":"{{listen}}","upstream":"{{Upstream.Address}}","enabled":false,"toxics":[]}""", disabled.Body);
        Assert.Equal("""{"name":"one","listen":"localhost:55555","upstream":"google.com","enabled":false,"toxics":[]}""", moved.Body);
    }

    [Fact]
    public async Task Update_ignores_name_and_toxics_as_the_go_cli_sends_the_whole_proxy()
    {
        var listen = await CreateProxyAsync("one");
        Assert.Equal(200, (await Api.PostAsync("/proxies/one/toxics", """{"type":"latency"}""")).Code);

        var response = await Api.PostAsync("/proxies/one", $$"""{"name":"renamed","listen":"{{listen}}","upstream":"{{Upstream.Address}}","enabled":true,"toxics":[]}""");

        Assert.Equal(200, response.Code);
        Assert.Contains("\"name\":\"one\"", response.Body);
        Assert.Single(Server.Proxies.Get("one").Toxics);
    }

    [Fact]
    public async Task Update_errors()
    {
        await CreateProxyAsync("one");

        AssertError(await Api.PostAsync("/proxies/missing", """{"enabled":false}"""), 404, "proxy not found");
        AssertError(await Api.PostAsync("/proxies/one", "{"), 400, "bad request body: invalid JSON at line 1, column 2: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed.");
        AssertError(await Api.SendAsync("PATCH", "/proxies/one", """{"listen":"nohostport"}"""), 500, "address nohostport: missing port in address");
        Assert.True(Server.Proxies.Get("one").Enabled);
    }
}
