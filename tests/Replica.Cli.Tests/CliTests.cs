using System.Net;
using System.Text.Json;
using Replica.Environments.Processes;
using Replica.Proxy.Edge.Faults;
using Replica.Proxy.Edge.Faults.Actions;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

public sealed class CliTests : IDisposable
{
    private readonly CliRunner cli = new();

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task Fault_add_ls_rm_clear_edit_a_running_proxys_rules()
    {
        await using var h = await ProxyHarness.StartAsync();
        var admin = h.Proxy.AdminUrl!.ToString();

        var add = await cli.RunAsync(["fault", "add", "--admin", admin, "--id", "down", "--path", "/api/**", "--abort", "503"]);
        var addJson = await cli.RunAsync(["fault", "add", "--admin", admin, "--json", """{"id":"drop","action":{"frameDrop":{"frame":{"type":"agent_completed"}}}}"""]);
        using var faulted = await h.Http.GetAsync("/api/x");
        var ls = await cli.RunAsync(["fault", "ls", "--admin", admin, "--json"]);
        var table = await cli.RunAsync(["fault", "ls", "--admin", admin]);
        var rm = await cli.RunAsync(["fault", "rm", "down", "--admin", admin]);
        var rmAgain = await cli.RunAsync(["fault", "rm", "down", "--admin", admin]);
        var clear = await cli.RunAsync(["fault", "clear", "--admin", admin]);

        Assert.Equal(0, add.ExitCode);
        Assert.StartsWith("added rule down:", add.StandardOutput);
        Assert.Equal(0, addJson.ExitCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, faulted.StatusCode);
        var listed = JsonDocument.Parse(ls.StandardOutput).RootElement.GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(["down", "drop"], listed.Select(r => r.GetProperty("rule").GetProperty("id").GetString()));
        Assert.Equal(1, listed[0].GetProperty("injected").GetInt64());
        Assert.Contains("down", table.StandardOutput);
        Assert.Equal((0, "removed rule down"), (rm.ExitCode, rm.StandardOutput.Trim()));
        Assert.Equal(1, rmAgain.ExitCode);
        Assert.Contains("no rule with id 'down'", rmAgain.StandardError);
        Assert.Equal((0, "removed 1 rule"), (clear.ExitCode, clear.StandardOutput.Trim()));
        Assert.Equal(0, h.Proxy.Rules.Count);
    }

    [Fact]
    public async Task Fault_add_with_bad_input_names_the_field_exits_2_and_applies_nothing()
    {
        await using var h = await ProxyHarness.StartAsync();

        var negative = await cli.RunAsync(["fault", "add", "--admin", h.Proxy.AdminUrl!.ToString(), "--delay", "-5"]);
        var unknown = await cli.RunAsync(["fault", "add", "--admin", h.Proxy.AdminUrl!.ToString(), "--json", """{"action":{"explode":{}}}"""]);
        var noAdmin = await cli.RunAsync(["fault", "ls"]);

        Assert.Equal(2, negative.ExitCode);
        Assert.Contains("action.delay.ms: must be ≥ 0", negative.StandardError);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("action.explode: unknown action 'explode'", unknown.StandardError);
        Assert.Equal(2, noAdmin.ExitCode);
        Assert.Contains("pass --admin URL or set REPLICA_PROXY_ADMIN_URL", noAdmin.StandardError);
        Assert.DoesNotContain("   at ", negative.StandardError + unknown.StandardError + noAdmin.StandardError);
        Assert.Equal(0, h.Proxy.Rules.Count);
    }

    [Fact]
    public async Task Replica_proxy_forwards_to_its_upstream_takes_rules_and_stops_on_sigterm()
    {
        await using var upstream = await UpstreamServer.StartAsync("remote");
        await using var proxy = cli.Start(["proxy", "--listen", "127.0.0.1:0", "--upstream", upstream.Url.ToString(), "--seed", "99", "--inline-io", "--json"]);

        var info = JsonDocument.Parse(await proxy.WaitForLineAsync(_ => true, TimeSpan.FromSeconds(30), "the first line")).RootElement;
        var url = new Uri(info.GetProperty("url").GetString()!);
        var admin = info.GetProperty("adminUrl").GetString()!;
        using var http = new HttpClient { BaseAddress = url };
        var forwarded = JsonDocument.Parse(await http.GetStringAsync("/x")).RootElement;
        // A WebSocket too: with --inline-io the proxy's process completes socket I/O inline, which in-process tests cannot.
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{url.Authority}/ws/echo"), CancellationToken.None);
        await socket.SendAsync("through the proxy"u8.ToArray(), System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[256];
        var echoed = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        using var adminClient = new Replica.Proxy.Edge.Client.EdgeProxyAdminClient(new Uri(admin));
        await adminClient.AddAsync(FaultRule.Create(new AbortAction(502), id: "cli-rule"));
        using var faulted = await http.GetAsync("/x");
        proxy.Signal(UnixSignal.SIGTERM);
        var exitCode = await proxy.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(99, info.GetProperty("seed").GetInt32());
        Assert.Equal("remote", forwarded.GetProperty("upstream").GetString());
        Assert.Equal("through the proxy", System.Text.Encoding.UTF8.GetString(buffer, 0, echoed.Count));
        Assert.Equal(HttpStatusCode.BadGateway, faulted.StatusCode);
        Assert.Equal(0, exitCode);
        Assert.Contains("fault abort rule=cli-rule", proxy.StandardError);
    }

    [Fact]
    public async Task Replica_proxy_refuses_bad_arguments_with_one_line()
    {
        var noUpstream = await cli.RunAsync(["proxy"]);
        var badRoute = await cli.RunAsync(["proxy", "--route", "auth=/auth/**"]);
        var openAdmin = await cli.RunAsync(["proxy", "--upstream", "http://127.0.0.1:1", "--admin", "0.0.0.0:0"]);
        var badListen = await cli.RunAsync(["proxy", "--upstream", "http://127.0.0.1:1", "--listen", "nope"]);
        var badAdmin = await cli.RunAsync(["proxy", "--upstream", "http://127.0.0.1:1", "--admin", "127.0.0.1"]);

        Assert.Equal(2, noUpstream.ExitCode);
        Assert.Contains("no upstream", noUpstream.StandardError);
        Assert.Equal(2, badRoute.ExitCode);
        Assert.Contains("expected NAME=PATTERN=URL", badRoute.StandardError);
        Assert.Equal(2, openAdmin.ExitCode);
        Assert.Contains("requires an admin token", openAdmin.StandardError);
        Assert.Equal((2, "replica: --listen: 'nope' is not HOST:PORT (e.g. 127.0.0.1:0)\n"), (badListen.ExitCode, badListen.StandardError));
        Assert.Equal((2, "replica: --admin: '127.0.0.1' is not HOST:PORT (e.g. 127.0.0.1:0)\n"), (badAdmin.ExitCode, badAdmin.StandardError));
    }

    [Fact]
    public async Task A_command_line_that_does_not_parse_exits_2_with_each_problem_on_one_line_and_where_help_is()
    {
        var missing = await cli.RunAsync(["restart"]);
        var unknown = await cli.RunAsync(["fault", "add", "{\"action\":"]);
        var noCommand = await cli.RunAsync(["--name", "x"]);
        var bare = await cli.RunAsync([]);

        Assert.Equal((2, "replica: Required argument missing for command: 'restart'.\n  hint: `replica restart --help` lists what it takes\n"),
            (missing.ExitCode, missing.StandardError));
        Assert.Empty(missing.StandardOutput);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("replica: Unrecognized command or argument '{\"action\":'.", unknown.StandardError);
        Assert.EndsWith("  hint: `replica fault add --help` lists what it takes\n", unknown.StandardError);
        Assert.Equal((2, "replica: Required command was not provided.\n  hint: `replica --help` lists what it takes\n"),
            (noCommand.ExitCode, noCommand.StandardError));
        Assert.Equal(0, bare.ExitCode);
        Assert.Contains("Usage:", bare.StandardOutput);
        Assert.Contains("verify", bare.StandardOutput);
    }

    [Fact]
    public async Task A_compose_file_named_with_file_that_is_not_there_is_bad_input_for_status_and_down_not_a_guess()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"replica-missing-{Guid.NewGuid():N}.yaml");

        var status = await cli.RunAsync(["status", "--file", missing]);
        var down = await cli.RunAsync(["down", "-f", missing]);

        Assert.Equal((2, $"replica: compose file not found: {missing}\n  hint: run from the directory holding compose.yaml, or pass --file PATH\n"),
            (status.ExitCode, status.StandardError));
        Assert.Equal((2, status.StandardError), (down.ExitCode, down.StandardError));
        Assert.Empty(down.StandardOutput);
    }
}
