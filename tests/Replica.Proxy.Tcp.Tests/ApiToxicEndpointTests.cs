using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>/proxies/{proxy}/toxics[/{toxic}]: shapes, defaults, every toxic's attributes, updates, errors.</summary>
public sealed class ApiToxicEndpointTests : ApiTestBase
{
    public static TheoryData<string, string> EveryToxic => new()
    {
        { """{"type":"latency","attributes":{"latency":100,"jitter":10}}""", """{"attributes":{"latency":100,"jitter":10},"name":"latency_downstream","type":"latency","stream":"downstream","toxicity":1}""" },
        { """{"type":"bandwidth","attributes":{"rate":1000}}""", """{"attributes":{"rate":1000},"name":"bandwidth_downstream","type":"bandwidth","stream":"downstream","toxicity":1}""" },
        { """{"type":"slow_close","attributes":{"delay":500}}""", """{"attributes":{"delay":500},"name":"slow_close_downstream","type":"slow_close","stream":"downstream","toxicity":1}""" },
        { """{"type":"timeout","attributes":{"timeout":1000}}""", """{"attributes":{"timeout":1000},"name":"timeout_downstream","type":"timeout","stream":"downstream","toxicity":1}""" },
        { """{"type":"reset_peer","attributes":{"timeout":2000}}""", """{"attributes":{"timeout":2000},"name":"reset_peer_downstream","type":"reset_peer","stream":"downstream","toxicity":1}""" },
        { """{"type":"slicer","attributes":{"average_size":64,"size_variation":32,"delay":10}}""", """{"attributes":{"average_size":64,"size_variation":32,"delay":10},"name":"slicer_downstream","type":"slicer","stream":"downstream","toxicity":1}""" },
        { """{"type":"limit_data","attributes":{"bytes":5000}}""", """{"attributes":{"bytes":5000},"name":"limit_data_downstream","type":"limit_data","stream":"downstream","toxicity":1}""" },
        { """{"type":"noop","name":"foobar"}""", """{"attributes":{},"name":"foobar","type":"noop","stream":"downstream","toxicity":1}""" },
        { """{"type":"startup_delay","attributes":{"delay":5000,"mode":"hold"}}""", """{"attributes":{"delay":5000,"mode":"hold"},"name":"startup_delay_downstream","type":"startup_delay","stream":"downstream","toxicity":1}""" },
        { """{"type":"startup_delay","attributes":{"delay":5000}}""", """{"attributes":{"delay":5000,"mode":"refuse"},"name":"startup_delay_downstream","type":"startup_delay","stream":"downstream","toxicity":1}""" },
        { """{"type":"latency"}""", """{"attributes":{"latency":0,"jitter":0},"name":"latency_downstream","type":"latency","stream":"downstream","toxicity":1}""" },
        { """{"type":"latency","attributes":{"latency":100.0}}""", """{"attributes":{"latency":100,"jitter":0},"name":"latency_downstream","type":"latency","stream":"downstream","toxicity":1}""" },
        { """{"type":"latency","stream":"UpStream","toxicity":0.2}""", """{"attributes":{"latency":0,"jitter":0},"name":"latency_UpStream","type":"latency","stream":"UpStream","toxicity":0.2}""" },
        { """{"Name":"t","Type":"latency","Stream":"UpStream","Toxicity":80,"Attributes":{"Latency":1000,"Jitter":0}}""", """{"attributes":{"latency":1000,"jitter":0},"name":"t","type":"latency","stream":"UpStream","toxicity":80}""" },
    };

    [Theory]
    [MemberData(nameof(EveryToxic))]
    public async Task Create_answers_200_with_every_attribute_in_order(string request, string expected)
    {
        await CreateProxyAsync("p");

        var created = await Api.PostAsync("/proxies/p/toxics", request);
        var name = System.Text.Json.JsonDocument.Parse(expected).RootElement.GetProperty("name").GetString();
        var got = await Api.GetAsync($"/proxies/p/toxics/{name}");
        var listed = await Api.GetAsync("/proxies/p/toxics");

        Assert.Equal(200, created.Code);
        Assert.Equal("application/json", created.ContentType);
        Assert.Equal(expected, created.Body);
        Assert.Equal(expected, got.Body);
        Assert.Equal($"[{expected}]", listed.Body);
    }

    [Fact]
    public async Task A_new_proxy_has_no_toxics_and_lists_upstream_first()
    {
        await CreateProxyAsync("p");
        Assert.Equal("[]", (await Api.GetAsync("/proxies/p/toxics")).Body);

        await Api.PostAsync("/proxies/p/toxics", """{"type":"noop","name":"d1"}""");
        await Api.PostAsync("/proxies/p/toxics", """{"type":"noop","name":"u1","stream":"upstream"}""");
        await Api.PostAsync("/proxies/p/toxics", """{"type":"noop","name":"d2"}""");
        await Api.PostAsync("/proxies/p/toxics", """{"type":"noop","name":"u2","stream":"upstream"}""");

        Assert.Equal(["u1", "u2", "d1", "d2"], Server.Proxies.Get("p").Toxics.Select(t => t.Name));
        Assert.Contains("\"toxics\":[{\"attributes\":{},\"name\":\"u1\"", (await Api.GetAsync("/proxies/p")).Body);
    }

    [Fact]
    public async Task Names_are_unique_across_both_streams_but_defaults_do_not_clash()
    {
        await CreateProxyAsync("p");
        Assert.Equal(200, (await Api.PostAsync("/proxies/p/toxics", """{"type":"latency","name":"foobar"}""")).Code);

        AssertError(await Api.PostAsync("/proxies/p/toxics", """{"type":"timeout","name":"foobar"}"""), 409, "toxic already exists");
        AssertError(await Api.PostAsync("/proxies/p/toxics", """{"type":"latency","name":"foobar","stream":"upstream"}"""), 409, "toxic already exists");
        Assert.Equal(200, (await Api.PostAsync("/proxies/p/toxics", """{"type":"latency","stream":"upstream"}""")).Code);
        Assert.Equal(200, (await Api.PostAsync("/proxies/p/toxics", """{"type":"latency"}""")).Code);
        Assert.Equal(["latency_upstream", "foobar", "latency_downstream"], Server.Proxies.Get("p").Toxics.Select(t => t.Name));
        Assert.Equal("latency", Server.Proxies.Get("p").GetToxic("foobar").Type);
    }

    [Fact]
    public async Task Create_errors_come_in_tox_proxys_order_with_its_messages()
    {
        await CreateProxyAsync("p");

        AssertError(await Api.PostAsync("/proxies/missing/toxics", """{"type":"latency"}"""), 404, "proxy not found");
        AssertError(await Api.PostAsync("/proxies/p/toxics", "{"), 400, "bad request body: invalid JSON at line 1, column 2: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed.");
        AssertError(await Api.PostAsync("/proxies/p/toxics", """{"type":"latency","stream":"walrustream"}"""), 400, "stream was invalid, can be either upstream or downstream");
        AssertError(await Api.PostAsync("/proxies/p/toxics", """{"type":"latency","stream":""}"""), 400, "stream was invalid, can be either upstream or downstream");
        AssertError(await Api.PostAsync("/proxies/p/toxics", """{"type":"down"}"""), 400, "invalid toxic type");
        AssertError(await Api.PostAsync("/proxies/p/toxics", """{"type":"Latency"}"""), 400, "invalid toxic type");
        AssertError(await Api.PostAsync("/proxies/p/toxics", """{"attributes":{}}"""), 400, "invalid toxic type");
        AssertError(await Api.PostAsync("/proxies/p/toxics", """{"type":"latency","toxicity":"high"}"""), 400, "bad request body: json: cannot unmarshal string into field toxicity of type float32");
        Assert.Empty(Server.Proxies.Get("p").Toxics);
    }

    [Fact]
    public async Task Values_that_crash_or_misbehave_in_toxiproxy_are_refused_with_a_400()
    {
        await CreateProxyAsync("p");

        AssertError(await Api.PostAsync("/proxies/p/toxics", """{"type":"bandwidth","attributes":{"rate":-1}}"""), 400, "invalid attribute rate of bandwidth: must be at least 0, got -1");
        AssertError(await Api.PostAsync("/proxies/p/toxics", """{"type":"latency","attributes":{"latency":-5}}"""), 400, "invalid attribute latency of latency: must be at least 0, got -5");
        AssertError(await Api.PostAsync("/proxies/p/toxics", """{"type":"slicer","attributes":{"average_size":0}}"""), 400, "invalid attribute average_size of slicer: must be at least 1, got 0");
        AssertError(await Api.PostAsync("/proxies/p/toxics", """{"type":"slicer","attributes":{"average_size":10,"size_variation":10}}"""), 400, "invalid attribute size_variation of slicer: must be less than average_size (10), got 10");
        AssertError(await Api.PostAsync("/proxies/p/toxics", """{"type":"latency","attributes":{"latency":"100"}}"""), 400, "bad request body: attribute latency of latency must be an integer, got string \"100\"");
        AssertError(await Api.PostAsync("/proxies/p/toxics", """{"type":"latency","attributes":{"latency":1.5}}"""), 400, "bad request body: attribute latency of latency must be an integer, got 1.5");
        AssertError(await Api.PostAsync("/proxies/p/toxics", """{"type":"latency","attributes":{"latency":1e400}}"""), 400, "bad request body: attribute latency of latency must be an integer, got 1e400");
        AssertError(await Api.PostAsync("/proxies/p/toxics", """{"type":"startup_delay","attributes":{"mode":"later"}}"""), 400, "invalid attribute mode of startup_delay: must be \"refuse\" or \"hold\", got \"later\"");
        AssertError(await Api.PostAsync("/proxies/p/toxics", """{"type":"startup_delay","attributes":{"delay":-1}}"""), 400, "invalid attribute delay of startup_delay: must be at least 0, got -1");
        Assert.Empty(Server.Proxies.Get("p").Toxics);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PATCH")]
    public async Task Update_merges_attributes_and_keeps_toxicity_when_absent(string method)
    {
        await CreateProxyAsync("p");
        await Api.PostAsync("/proxies/p/toxics", """{"type":"latency","attributes":{"latency":100,"jitter":10}}""");

        var first = await Api.SendAsync(method, "/proxies/p/toxics/latency_downstream", """{"attributes":{"latency":1000},"toxicity":0.5}""");
        var second = await Api.SendAsync(method, "/proxies/p/toxics/latency_downstream", """{"attributes":{"latency":500}}""");
        var renamed = await Api.SendAsync(method, "/proxies/p/toxics/latency_downstream", """{"Name":"NewName","Stream":"UpStream","Toxicity":null,"Type":"slicer","Attributes":{"Jitter":20}}""");

        Assert.Equal(200, first.Code);
        Assert.Equal("""{"attributes":{"latency":1000,"jitter":10},"name":"latency_downstream","type":"latency","stream":"downstream","toxicity":0.5}""", first.Body);
        Assert.Equal("""{"attributes":{"latency":500,"jitter":10},"name":"latency_downstream","type":"latency","stream":"downstream","toxicity":0.5}""", second.Body);
        Assert.Equal("""{"attributes":{"latency":500,"jitter":20},"name":"latency_downstream","type":"latency","stream":"downstream","toxicity":0.5}""", renamed.Body);
    }

    [Fact]
    public async Task Update_and_delete_errors_leave_the_toxic_unchanged()
    {
        await CreateProxyAsync("p");
        await Api.PostAsync("/proxies/p/toxics", """{"type":"latency","attributes":{"latency":100,"jitter":10}}""");

        AssertError(await Api.PostAsync("/proxies/missing/toxics/latency_downstream", "{}"), 404, "proxy not found");
        AssertError(await Api.PostAsync("/proxies/p/toxics/missing", "{}"), 404, "toxic not found");
        AssertError(await Api.PostAsync("/proxies/p/toxics/missing", "not json"), 404, "toxic not found");
        AssertError(await Api.PostAsync("/proxies/p/toxics/latency_downstream", """{"attributes":{"jitter":20,"latency":"x"},"toxicity":0.1}"""), 400, "bad request body: attribute latency of latency must be an integer, got string \"x\"");
        AssertError(await Api.GetAsync("/proxies/p/toxics/missing"), 404, "toxic not found");
        AssertError(await Api.GetAsync("/proxies/missing/toxics"), 404, "proxy not found");
        AssertError(await Api.SendAsync("DELETE", "/proxies/p/toxics/missing"), 404, "toxic not found");
        AssertError(await Api.SendAsync("DELETE", "/proxies/missing/toxics/latency_downstream"), 404, "proxy not found");
        Assert.Equal("""{"attributes":{"latency":100,"jitter":10},"name":"latency_downstream","type":"latency","stream":"downstream","toxicity":1}""", (await Api.GetAsync("/proxies/p/toxics/latency_downstream")).Body);
    }

    [Fact]
    public async Task Delete_answers_204_and_the_toxic_is_gone()
    {
        await CreateProxyAsync("p");
        await Api.PostAsync("/proxies/p/toxics", """{"type":"latency"}""");

        var response = await Api.SendAsync("DELETE", "/proxies/p/toxics/latency_downstream");

        Assert.Equal(204, response.Code);
        Assert.Equal("", response.Body);
        AssertError(await Api.GetAsync("/proxies/p/toxics/latency_downstream"), 404, "toxic not found");
        Assert.Equal("[]", (await Api.GetAsync("/proxies/p/toxics")).Body);
    }
}
