using System.Net.Sockets;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>
/// /populate: validate all first, keep unchanged proxies, replace changed ones; all or nothing. A bind failure is
/// Toxiproxy's 500 with Go's error text, but where Toxiproxy keeps the proxies before the failing one, Replica releases
/// what it bound and changes nothing (proxy/Replica.Proxy.Tcp/README.md, "Where Replica deliberately differs").
/// </summary>
public sealed class ApiPopulateTests : ApiTestBase
{
    [Fact]
    public async Task Creates_proxies_in_order_enabled_unless_said_otherwise()
    {
        var response = await Api.PostAsync("/populate", $$"""[{"name":"one","listen":"127.0.0.1:0","upstream":"{{Upstream.Address}}"},{"name":"two","listen":"127.0.0.1:0","upstream":"{{Upstream.Address}}","enabled":false}]""");

        var one = Server.Proxies.Get("one");
        Assert.Equal(201, response.Code);
        Assert.Equal("application/json", response.ContentType);
        Assert.Equal($$$"""{"proxies":[{"name":"one","listen":"{{{one.Listen}}}","upstream":"{{{Upstream.Address}}}","enabled":true,"toxics":[]},{"name":"two","listen":"127.0.0.1:0","upstream":"{{{Upstream.Address}}}","enabled":false,"toxics":[]}]}""", response.Body);
        Assert.Equal(SocketError.Success, await Sockets.TryConnectAsync(one.ListenEndPoint!));
        Assert.Null(Server.Proxies.Get("two").ListenEndPoint);
    }

    [Fact]
    public async Task An_unchanged_proxy_is_kept_with_its_toxics_and_a_changed_one_is_replaced()
    {
        await CreateProxyAsync("one");
        await CreateProxyAsync("two");
        var onePort = Server.Proxies.Get("one").ListenEndPoint!.Port;
        await Api.PostAsync("/proxies/one/toxics", """{"type":"latency"}""");
        await Api.PostAsync("/proxies/two/toxics", """{"type":"latency"}""");
        var oldTwo = Server.Proxies.Get("two");

        // "toxics": [] as the Go client sends it back must not clear the kept proxy's toxics.
        var response = await Api.PostAsync("/populate", $$"""[{"name":"one","listen":"localhost:{{onePort}}","upstream":"{{Upstream.Address}}","enabled":false,"toxics":[]},{"name":"two","listen":"127.0.0.1:0","upstream":"{{Upstream.Address}}"}]""");

        Assert.Equal(201, response.Code);
        Assert.Single(Server.Proxies.Get("one").Toxics);
        Assert.True(Server.Proxies.Get("one").Enabled);
        Assert.Equal($"127.0.0.1:{onePort}", Server.Proxies.Get("one").Listen);
        Assert.NotSame(oldTwo, Server.Proxies.Get("two"));
        Assert.Empty(Server.Proxies.Get("two").Toxics);
    }

    [Fact]
    public async Task A_missing_field_names_the_proxy_and_nothing_changes()
    {
        var response = await Api.PostAsync("/populate", $$"""[{"name":"one","listen":"127.0.0.1:0","upstream":"{{Upstream.Address}}"},{"listen":"127.0.0.1:0","upstream":"x:1"}]""");
        var upstream = await Api.PostAsync("/populate", """[{"name":"one","listen":"127.0.0.1:0"}]""");

        Assert.Equal(400, response.Code);
        Assert.Equal("""{"error":"missing required field: name at proxy 2","status":400,"title":"missing required field: name at proxy 2","proxies":null}""", response.Body);
        Assert.Contains("\"error\":\"missing required field: upstream at proxy 1\"", upstream.Body);
        Assert.Empty(Server.Proxies.List());
    }

    [Fact]
    public async Task An_unusable_listen_is_toxiproxys_500_and_nothing_is_created()
    {
        var response = await Api.PostAsync("/populate", $$"""[{"name":"one","listen":"127.0.0.1:0","upstream":"{{Upstream.Address}}"},{"name":"two","listen":"local373","upstream":"x:1"},{"name":"three","listen":"127.0.0.1:0","upstream":"x:1"}]""");

        Assert.Equal(500, response.Code);
        Assert.StartsWith("""{"error":"listen tcp: address local373: missing port in address","status":500,""", response.Body);
        // Toxiproxy would list (and keep) proxy one here.
        Assert.EndsWith("\"proxies\":null}", response.Body);
        Assert.Empty(Server.Proxies.List());
    }

    [Fact]
    public async Task A_port_in_use_fails_the_whole_populate_and_the_proxy_it_would_replace_serves_again()
    {
        await CreateProxyAsync("kept");
        var keptPort = Server.Proxies.Get("kept").ListenEndPoint!.Port;
        using var taken = new TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var takenPort = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var before = (await Api.GetAsync("/proxies")).Body;

        // "kept" changes upstream (so it would be replaced), "new" asks for a port that is taken.
        var response = await Api.PostAsync("/populate", $$"""[{"name":"kept","listen":"127.0.0.1:{{keptPort}}","upstream":"127.0.0.1:1"},{"name":"new","listen":"127.0.0.1:0","upstream":"x:1"},{"name":"late","listen":"127.0.0.1:{{takenPort}}","upstream":"x:1"}]""");

        Assert.Equal(500, response.Code);
        Assert.StartsWith($$"""{"error":"listen tcp 127.0.0.1:{{takenPort}}: bind: address already in use","status":500,""", response.Body);
        Assert.EndsWith("\"proxies\":null}", response.Body);
        Assert.Equal(before, (await Api.GetAsync("/proxies")).Body);
        using var client = await Sockets.ConnectAsync(Server.Proxies.Get("kept").ListenEndPoint!);
        await client.SendAsync("ping"u8.ToArray());
        Assert.Equal("ping"u8.ToArray(), await client.ReadExactlyAsync(4));
    }

    [Fact]
    public async Task A_name_given_twice_is_a_400()
    {
        var response = await Api.PostAsync("/populate", """[{"name":"a","upstream":"x:1","enabled":false},{"name":"b","upstream":"x:1","enabled":false},{"name":"a","upstream":"y:1","enabled":false}]""");

        Assert.Equal(400, response.Code);
        Assert.StartsWith("""{"error":"proxy name a is given twice, at proxy 1 and proxy 3","status":400""", response.Body);
        Assert.Empty(Server.Proxies.List());
    }

    [Fact]
    public async Task Empty_and_malformed_bodies()
    {
        var empty = await Api.PostAsync("/populate", "[]");
        var notArray = await Api.PostAsync("/populate", """{"name":"one"}""");

        Assert.Equal(201, empty.Code);
        Assert.Equal("""{"proxies":null}""", empty.Body);
        Assert.Equal(400, notArray.Code);
        Assert.Equal("""{"error":"bad request body: json: cannot unmarshal object into list of proxies of type array","status":400,"title":"bad request body: json: cannot unmarshal object into list of proxies of type array","proxies":null}""", notArray.Body);
    }

    [Fact]
    public async Task Toxics_declared_with_proxies_are_in_place_before_the_first_connection()
    {
        var response = await Api.PostAsync("/populate", $$$"""[{"name":"slow","listen":"127.0.0.1:0","upstream":"{{{Upstream.Address}}}","toxics":[{"type":"latency","stream":"upstream","attributes":{"latency":300}}]}]""");
        var proxy = Server.Proxies.Get("slow");

        using var client = await Sockets.ConnectAsync(proxy.ListenEndPoint!);
        var elapsed = await Sockets.TimeTransferAsync(client, client, "x"u8.ToArray());

        Assert.Equal(201, response.Code);
        Assert.Contains("\"toxics\":[{\"attributes\":{\"latency\":300,\"jitter\":0},\"name\":\"latency_upstream\"", response.Body);
        Assert.InRange(elapsed.TotalMilliseconds, 300, 3000);
    }

    [Fact]
    public async Task A_bad_declared_toxic_names_proxy_and_toxic_and_nothing_is_created()
    {
        var response = await Api.PostAsync("/populate", $$$"""[{"name":"one","listen":"127.0.0.1:0","upstream":"{{{Upstream.Address}}}"},{"name":"two","listen":"127.0.0.1:0","upstream":"x:1","toxics":[{"type":"latency"},{"type":"bandwidth","attributes":{"rate":-1}}]}]""");

        Assert.Equal(400, response.Code);
        Assert.StartsWith("""{"error":"invalid attribute rate of bandwidth: must be at least 0, got -1 at proxy 2 toxic 2","status":400""", response.Body);
        Assert.Empty(Server.Proxies.List());
    }

    [Fact]
    public async Task Declared_toxics_replace_those_of_an_unchanged_proxy_and_come_back_on_reset()
    {
        await CreateProxyAsync("one");
        var listen = Server.Proxies.Get("one").Listen;
        await Api.PostAsync("/proxies/one/toxics", """{"type":"noop","name":"added"}""");

        await Api.PostAsync("/populate", $$"""[{"name":"one","listen":"{{listen}}","upstream":"{{Upstream.Address}}","toxics":[{"type":"latency","name":"declared"}]}]""");
        Assert.Equal(["declared"], Server.Proxies.Get("one").Toxics.Select(t => t.Name));
        await Api.SendAsync("DELETE", "/proxies/one/toxics/declared");
        await Api.PostAsync("/proxies/one/toxics", """{"type":"noop","name":"later"}""");
        await Api.PostAsync("/reset", null);

        Assert.Equal(["declared"], Server.Proxies.Get("one").Toxics.Select(t => t.Name));
    }
}
