using System.Text.Json;
using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Proxies;
using Replica.Proxy.Tcp.Toxics;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>`replica toxic …` as a process against a running server: output, --json, exit codes, errors.</summary>
public sealed class ToxicCommandTests : ApiTestBase
{
    [Fact]
    public async Task Add_list_remove_disable_enable_and_reset()
    {
        Server.Proxies.Create(new ProxyDefinition("redis", "127.0.0.1:0", Upstream.Address));
        var api = Server.ApiUrl.ToString();
        using var cli = new CliRunner();

        var add = await cli.RunAsync(["toxic", "add", "redis", "--type", "latency", "-a", "latency=100", "-a", "jitter=10", "--stream", "upstream", "--api", api]);
        var hold = await cli.RunAsync(["toxic", "add", "redis", "-t", "startup_delay", "-n", "late", "-a", "delay=5000", "-a", "mode=hold", "--api", api]);
        var json = await cli.RunAsync(["toxic", "ls", "--json", "--api", api]);
        var plain = await cli.RunAsync(["toxic", "ls", "redis", "--api", api]);
        var disable = await cli.RunAsync(["toxic", "disable", "redis", "--api", api]);
        var disabled = Server.Proxies.Get("redis").Enabled;
        var enable = await cli.RunAsync(["toxic", "enable", "redis", "--api", api]);
        var remove = await cli.RunAsync(["toxic", "rm", "redis", "late", "--api", api]);
        var afterRemove = Server.Proxies.Get("redis").Toxics.Select(t => t.Name).ToList();
        var reset = await cli.RunAsync(["toxic", "reset", "--api", api]);

        Assert.Equal((0, "added to redis: latency_upstream: latency upstream toxicity 1 latency=100 jitter=10\n"), (add.ExitCode, add.StandardOutput));
        Assert.Equal(0, hold.ExitCode);
        using var listed = JsonDocument.Parse(json.StandardOutput);
        var toxics = listed.RootElement[0].GetProperty("toxics");
        Assert.Equal("latency_upstream", toxics[0].GetProperty("name").GetString());
        Assert.Equal("hold", toxics[1].GetProperty("attributes").GetProperty("mode").GetString());
        Assert.Contains("late: startup_delay downstream toxicity 1 delay=5000 mode=hold", plain.StandardOutput);
        Assert.Equal(0, disable.ExitCode);
        Assert.False(disabled);
        Assert.Equal(0, enable.ExitCode);
        Assert.Equal(["latency_upstream"], afterRemove);
        Assert.Equal(0, remove.ExitCode);
        Assert.Equal(0, reset.ExitCode);
        Assert.Empty(Server.Proxies.Get("redis").Toxics);
        Assert.True(Server.Proxies.Get("redis").Enabled);
    }

    [Fact]
    public async Task The_api_defaults_to_the_environment_variable()
    {
        Server.Proxies.Create(new ProxyDefinition("redis", "127.0.0.1:0", Upstream.Address));
        using var cli = new CliRunner().WithVariable("REPLICA_TOXIPROXY_URL", Server.ApiUrl.ToString());
        await using var ls = cli.Start(["toxic", "ls", "--json"]);

        Assert.Equal(0, await ls.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("\"name\": \"redis\"", ls.StandardOutput);
    }

    [Fact]
    public async Task Server_errors_and_bad_input_are_one_line_with_an_exit_code()
    {
        Server.Proxies.Create(new ProxyDefinition("redis", "127.0.0.1:0", Upstream.Address));
        var api = Server.ApiUrl.ToString();
        using var cli = new CliRunner();

        var unknownType = await cli.RunAsync(["toxic", "add", "redis", "-t", "down", "--api", api]);
        var negative = await cli.RunAsync(["toxic", "add", "redis", "-t", "bandwidth", "-a", "rate=-5", "--api", api]);
        var badPair = await cli.RunAsync(["toxic", "add", "redis", "-t", "latency", "-a", "latency", "--api", api]);
        var missing = await cli.RunAsync(["toxic", "rm", "redis", "nope", "--api", api]);
        var noProxy = await cli.RunAsync(["toxic", "add", "rediss", "-t", "latency", "--api", api]);
        var noProxyToDisable = await cli.RunAsync(["toxic", "disable", "postgres", "--api", api]);
        var misspelled = await cli.RunAsync(["toxic", "add", "redis", "-t", "latncy", "--api", api]);
        var badUrl = await cli.RunAsync(["toxic", "ls", "--api", "not a url"]);

        // Toxiproxy's own text first (its clients match it), then the name that was not found and the names there are.
        Assert.Equal((2, $"replica: invalid toxic type: 'down'; types: {string.Join(", ", ToxicKinds.Names)}\n"), (unknownType.ExitCode, unknownType.StandardError));
        Assert.Equal((2, "replica: invalid toxic type: 'latncy' (did you mean 'latency'?); types: " + string.Join(", ", ToxicKinds.Names) + "\n"),
            (misspelled.ExitCode, misspelled.StandardError));
        Assert.Equal((2, "replica: proxy not found: 'rediss' (did you mean 'redis'?); proxies: redis\n"), (noProxy.ExitCode, noProxy.StandardError));
        Assert.Equal((2, "replica: proxy not found: 'postgres'; proxies: redis\n"), (noProxyToDisable.ExitCode, noProxyToDisable.StandardError));
        Assert.Equal((2, "replica: invalid attribute rate of bandwidth: must be at least 0, got -5\n"), (negative.ExitCode, negative.StandardError));
        Assert.Equal((2, "replica: --attribute \"latency\": expected key=value, e.g. latency=100\n"), (badPair.ExitCode, badPair.StandardError));
        Assert.Equal((2, "replica: toxic not found: 'nope' on redis; its toxics: none\n"), (missing.ExitCode, missing.StandardError));
        Assert.Equal(2, badUrl.ExitCode);
        Assert.Empty(Server.Proxies.Get("redis").Toxics);
    }
}
