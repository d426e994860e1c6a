using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Docker.DotNet.Models;
using Replica.Environments.Processes;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>
/// `replica up --runtime docker` as a user runs it: the real CLI, a real engine, offline images. What is left on the
/// engine is checked through the Docker.DotNet client Testcontainers brings, by the environment's label.
/// </summary>
[Trait("Category", "Docker")]
[Collection(DockerCollection.Name)]
public sealed class DockerCliTests(DockerEngineFixture engine) : IAsyncLifetime
{
    private const string RedisOnly = "services:\n  redis:\n    image: redis:7\n    ports: [\"6379\"]\n";

    private readonly IsolatedStateStore _state = new();
    private readonly ScratchDirectory _dir = new("replica-docker-cli-");
    private readonly List<IDisposable> _clis = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _clis.ForEach(c => c.Dispose());
        await _state.DisposeAsync();
        _dir.Dispose();
    }

    private CliRunner Cli(IsolatedStateStore state, string? workingDirectory = null)
    {
        var cli = new CliRunner(state.Root, workingDirectory).WithVariable("REPLICA_BASE_IMAGE", engine.BaseImage);
        _clis.Add(cli);
        return cli;
    }

    private static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private Task<(IList<ContainerListResponse> Containers, IList<NetworkResponse> Networks)> LabelledAsync(string environment) =>
        engine.EnvironmentResourcesAsync(environment);

    [Fact]
    public async Task Up_detach_on_docker_shows_four_healthy_services_on_loopback_and_down_leaves_no_container_or_network()
    {
        await engine.RequireBaseImageAsync();
        var cli = Cli(_state);
        var name = UniqueName("cli");

        var up = await cli.RunAsync(["up", "--runtime", "docker", "--images", "offline", "--detach", "--name", name], TimeSpan.FromMinutes(5));
        Assert.True(up.ExitCode == 0, up.ToString());

        var status = await cli.RunAsync(["status", "--json", "--name", name]);
        Assert.True(status.ExitCode == 0, status.ToString());
        using var json = JsonDocument.Parse(status.StandardOutput);
        Assert.Equal("docker", json.RootElement.GetProperty("runtime").GetString());
        var services = json.RootElement.GetProperty("services").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal(["auth", "backend", "postgres", "redis"], services.Keys.Order());
        var (containers, networks) = await LabelledAsync(name);
        foreach (var service in services.Values)
        {
            Assert.Equal("running", service.GetProperty("state").GetString());
            Assert.Equal("healthy", service.GetProperty("health").GetString());
            Assert.StartsWith("127.0.0.1:", service.GetProperty("endpoint").GetString());
            Assert.Contains(service.GetProperty("containerId").GetString(), containers.Select(c => c.ID));
        }
        Assert.Equal(4, containers.Count);
        Assert.Equal([$"replica-{name}"], networks.Select(n => n.Name));
        var owner = _state.Store.Read(name)!.Owner.Pid;

        var logs = await cli.RunAsync(["logs", "redis", "--name", name]);
        Assert.Contains("Ready to accept connections", logs.StandardOutput);

        var down = await cli.RunAsync(["down", "--name", name]);
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Contains($"Environment '{name}' is down", down.StandardOutput);
        (containers, networks) = await LabelledAsync(name);
        Assert.Empty(containers);
        Assert.Empty(networks);
        Assert.False(ProcessTable.Alive(owner), "the daemon outlived down");
        Assert.Empty(_state.Store.Names());
    }

    [Fact]
    public async Task After_kill_9_during_up_the_next_start_sweeps_the_leftovers_even_without_their_state()
    {
        await engine.RequireBaseImageAsync();
        _dir.Write("compose.yaml", RedisOnly);
        var killed = UniqueName("killed");
        var process = await Cli(_state, _dir.Path).StartUntilAsync(["up", "--runtime", "docker", "--images", "offline", "--name", killed], "Following logs", TimeSpan.FromMinutes(2));
        var (left, leftNetworks) = await LabelledAsync(killed);
        process.Signal(UnixSignal.SIGKILL);
        await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Single(left);
        Assert.Single(leftNetworks);
        Assert.Equal(left.Select(c => c.ID), (await LabelledAsync(killed)).Containers.Select(c => c.ID)); // a killed CLI removes nothing

        // Another environment, from another state directory: the state of the killed run is not there to be reaped,
        // so only the owner labels on the engine can tell what is left over.
        await using var otherState = new IsolatedStateStore();
        var other = UniqueName("next");
        var cli = Cli(otherState, _dir.Path);
        var up = await cli.RunAsync(["up", "--runtime", "docker", "--images", "offline", "--detach", "--name", other], TimeSpan.FromMinutes(2));
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains("swept what runs that are gone left:", up.StandardOutput);

        var (containers, networks) = await LabelledAsync(killed);
        Assert.Empty(containers);
        Assert.Empty(networks);
        Assert.Single((await LabelledAsync(other)).Containers);
        Assert.True((await cli.RunAsync(["down", "--name", other])).ExitCode == 0);
        Assert.Empty((await LabelledAsync(other)).Containers);
    }

    [Fact]
    public async Task Down_of_an_environment_whose_owner_was_killed_removes_its_containers_and_network()
    {
        await engine.RequireBaseImageAsync();
        _dir.Write("compose.yaml", RedisOnly);
        var cli = Cli(_state, _dir.Path);
        var name = UniqueName("orphan");
        var process = await cli.StartUntilAsync(["up", "--runtime", "docker", "--images", "offline", "--name", name], "Following logs", TimeSpan.FromMinutes(2));
        process.Signal(UnixSignal.SIGKILL);
        await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Single((await LabelledAsync(name)).Containers);

        var down = await cli.RunAsync(["down", "--name", name]);

        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Contains("had lost its owner", down.StandardOutput);
        Assert.Contains("reaped its containers and network", down.StandardOutput);
        var (containers, networks) = await LabelledAsync(name);
        Assert.Empty(containers);
        Assert.Empty(networks);
        Assert.Empty(_state.Store.Names());
    }

    [Fact]
    public async Task Ctrl_c_on_a_foreground_up_removes_the_containers_and_the_network()
    {
        await engine.RequireBaseImageAsync();
        _dir.Write("compose.yaml", RedisOnly);
        var name = UniqueName("ctrlc");
        var process = await Cli(_state, _dir.Path).StartUntilAsync(["up", "--runtime", "docker", "--images", "offline", "--name", name], "Following logs", TimeSpan.FromMinutes(2));
        Assert.Single((await LabelledAsync(name)).Containers);

        ProcessTable.AssertSigintReaches(process.Id);
        process.Signal(UnixSignal.SIGINT);
        await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(130, process.ExitCode);
        Assert.Contains($"Environment '{name}' is down", process.StandardOutput);
        var (containers, networks) = await LabelledAsync(name);
        Assert.Empty(containers);
        Assert.Empty(networks);
        Assert.Empty(_state.Store.Names());
    }
}
