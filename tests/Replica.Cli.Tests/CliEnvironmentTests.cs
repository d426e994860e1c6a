using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Replica.Environments.Hosting;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>`replica up/status/down/logs` as a user runs them: the real CLI binary, real services.</summary>
public sealed class CliEnvironmentTests : IsolatedCliTest
{
    [Fact]
    public async Task Up_detach_then_status_json_shows_four_healthy_services_and_down_leaves_nothing()
    {
        var up = await Cli.RunAsync(["up", "--detach", "--name", "detached"]);
        Assert.True(up.ExitCode == 0, up.ToString());

        var status = await Cli.RunAsync(["status", "--json", "--name", "detached"]);
        Assert.True(status.ExitCode == 0, status.ToString());
        using var json = JsonDocument.Parse(status.StandardOutput);
        Assert.True(json.RootElement.GetProperty("up").GetBoolean());
        var services = json.RootElement.GetProperty("services").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal(["auth", "backend", "postgres", "redis"], services.Keys.Order());
        foreach (var service in services.Values)
        {
            Assert.Equal("running", service.GetProperty("state").GetString());
            Assert.Equal("healthy", service.GetProperty("health").GetString());
            Assert.StartsWith("127.0.0.1:", service.GetProperty("endpoint").GetString());
            Assert.True(service.GetProperty("pid").GetInt32() > 0);
        }
        var dependencies = json.RootElement.GetProperty("dependencies").EnumerateArray().Select(d => d.GetProperty("name").GetString()!);
        Assert.Equal(["backend_auth", "backend_postgres", "backend_redis"], dependencies.Order());
        Assert.False(json.RootElement.TryGetProperty("edges", out _));
        var pids = services.Values.Select(s => s.GetProperty("pid").GetInt32()).ToList();
        var workDirectory = State.Store.Read("detached")!.WorkDirectory!;
        var ownerPid = State.Store.Read("detached")!.Owner.Pid;

        var logs = await Cli.RunAsync(["logs", "redis", "--name", "detached"]);
        Assert.Contains("Ready to accept connections", logs.StandardOutput);

        // The fault commands find the running environment's proxies without being told where they are.
        var toxics = await Cli.RunAsync(["toxic", "ls", "--json", "--name", "detached"]);
        Assert.True(toxics.ExitCode == 0, toxics.ToString());
        foreach (var dependency in new[] { "backend_auth", "backend_postgres", "backend_redis" })
        {
            Assert.Contains($"\"{dependency}\"", toxics.StandardOutput);
        }
        var edgeUrl = json.RootElement.GetProperty("endpoints").GetProperty("edge").GetString()!;
        var fault = await Cli.RunAsync(["fault", "add", "--name", "detached", "--json", """{"id":"gone","match":{"path":"/health"},"action":{"abort":{"status":418}}}"""]);
        Assert.True(fault.ExitCode == 0, fault.ToString());
        using (var http = new HttpClient())
        {
            Assert.Equal(418, (int)(await http.GetAsync($"{edgeUrl}/health")).StatusCode);
        }
        var edgeLog = await Cli.RunAsync(["logs", "edge", "--name", "detached"]);
        Assert.Contains("gone", edgeLog.StandardOutput);

        var down = await Cli.RunAsync(["down", "--name", "detached"]);
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Contains("Environment 'detached' is down", down.StandardOutput);
        Assert.All(pids.Append(ownerPid), pid => Assert.False(ProcessTable.Alive(pid), $"pid {pid} survived down"));
        Assert.False(Directory.Exists(workDirectory));
        Assert.Empty(State.Store.Names());

        var after = await Cli.RunAsync(["status", "--name", "detached"]);
        Assert.Equal(1, after.ExitCode);
        Assert.Contains("is not up", after.StandardOutput);
    }

    [Theory]
    [InlineData("services:\n  redis:\n    image: redis\n   ports: [\"6379\"\n", "compose.yaml:4:", "YAML syntax error")]
    [InlineData("services:\n  redis:\n    image: redis:7\n  api:\n    image: api\n    depends_on: [redsi]\n", "compose.yaml:6:18", "unknown service 'redsi'")]
    [InlineData("services:\n  a:\n    image: a\n    depends_on: [b]\n  b:\n    image: b\n    depends_on: [a]\n", "compose.yaml:4:18", "dependency cycle: a -> b -> a")]
    [InlineData("services:\n  redis:\n    image: redis:7\n  worker:\n    command: run\n", "compose.yaml:4:3", "missing 'image' or 'build'")]
    [InlineData("services:\n  worker:\n    image: worker\n", "compose.yaml:2:3", "the process runtime does not know how to run it")]
    public async Task A_bad_compose_file_exits_2_naming_file_line_and_column_and_starts_nothing(string yaml, string location, string message)
    {
        using var dir = new ScratchDirectory();
        dir.Write("compose.yaml", yaml);
        using var cli = new CliRunner(State.Root, dir.Path);

        foreach (var args in new[] { new[] { "up", "--name", "bad" }, ["up", "--detach", "--name", "bad"] })
        {
            var result = await cli.RunAsync(args);
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains(location, result.StandardError);
            Assert.Contains(message, result.StandardError);
            Assert.DoesNotContain("   at ", result.StandardError); // no stack trace
            Assert.Empty(State.Store.Names());
        }
        Assert.Empty(Directory.EnumerateDirectories(EnvironmentWorkRoot.Resolve(), "replica-bad-*"));
    }

    [Theory]
    // A missing redis-server: exit 3, and how to install it.
    [InlineData("PATH", "/nonexistent", 3, "redis-server not found on PATH", "apt-get install -y redis-server")]
    // An on/off setting that is neither: exit 2, naming it.
    [InlineData("REPLICA_DOTNET_ASSEMBLIES_ONLY", "sometimes", 2, "REPLICA_DOTNET_ASSEMBLIES_ONLY: 'sometimes' is not a switch; expected true or false", "")]
    // A work folder that is not there, or not a full path: exit 2, naming it.
    [InlineData("REPLICA_WORK_DIR", "/nonexistent/work", 2, "REPLICA_WORK_DIR: '/nonexistent/work' does not exist", "unset REPLICA_WORK_DIR")]
    [InlineData("REPLICA_WORK_DIR", "work", 2, "REPLICA_WORK_DIR: 'work' is not an absolute path", "")]
    public async Task A_missing_program_or_a_bad_setting_exits_with_its_code_says_why_and_starts_nothing(
        string variable, string value, int exitCode, string reason, string hint)
    {
        var result = await Cli.WithVariable(variable, value).RunAsync(["up", "--name", "refused"]);

        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Contains(reason, result.StandardError);
        Assert.Contains(hint, result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
        Assert.Empty(State.Store.Names());
    }

    [Fact]
    public async Task A_busy_fixed_port_exits_3_naming_the_port_and_what_holds_it()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        using var dir = new ScratchDirectory();
        dir.Write("compose.yaml", $"services:\n  redis:\n    image: redis:7\n    ports: [\"{port}:6379\"]\n");

        using var cli = new CliRunner(State.Root, dir.Path);
        var result = await cli.RunAsync(["up", "--name", "busy"]);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains($"port 127.0.0.1:{port}", result.StandardError);
        Assert.Contains("already in use by", result.StandardError);
        Assert.Contains($"(pid {Environment.ProcessId})", result.StandardError);
        Assert.Contains("compose.yaml:4:", result.StandardError);
        Assert.Empty(State.Store.Names());
    }
}
