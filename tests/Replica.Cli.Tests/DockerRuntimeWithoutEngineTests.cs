using Replica.Environments.Hosting;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>
/// `up --runtime docker` where no engine is needed to answer: bad options and bad compose settings are bad input
/// (exit 2) found before any engine is asked, and a missing engine is a prerequisite (exit 3) naming where it was
/// looked for. Fast tier; in the docker collection only so that it never runs beside a test that sets DOCKER_*.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class DockerRuntimeWithoutEngineTests : IAsyncLifetime
{
    private readonly IsolatedStateStore _state = new();
    private readonly ScratchDirectory _dir = new("replica-test-dead-engine-");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _dir.Dispose();
        await _state.DisposeAsync();
    }

    /// <summary>An engine endpoint where nothing can answer: a socket path in an empty directory.</summary>
    private string DeadEngine => $"unix://{_dir.Path}/docker.sock";

    private CliRunner Cli(string compose = "services:\n  redis:\n    image: redis:7\n    ports: [\"6379\"]\n")
    {
        _dir.Write("compose.yaml", compose);
        return new CliRunner(_state.Root, _dir.Path).WithVariable("DOCKER_HOST", DeadEngine);
    }

    [Theory]
    [InlineData(new[] { "--runtime", "kubernetes" }, "--runtime: unknown runtime 'kubernetes'; expected process or docker")]
    [InlineData(new[] { "--runtime", "docker", "--images", "cloud" }, "--images: unknown image policy 'cloud'; expected official or offline")]
    public async Task A_wrong_runtime_or_image_policy_is_bad_input_naming_the_choices(string[] options, string message)
    {
        using var cli = Cli();
        foreach (var detach in new[] { false, true })
        {
            var result = await cli.RunAsync(["up", "--name", "opts", .. options, .. detach ? new[] { "--detach" } : []]);

            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains(message, result.StandardError);
            Assert.Empty(_state.Store.Names());
        }
    }

    [Fact]
    public async Task A_wrong_REPLICA_IMAGE_POLICY_is_bad_input_naming_the_variable()
    {
        using var cli = Cli().WithVariable("REPLICA_IMAGE_POLICY", "sometimes");

        var result = await cli.RunAsync(["up", "--runtime", "docker", "--name", "policy"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("REPLICA_IMAGE_POLICY: unknown image policy 'sometimes'; expected official or offline", result.StandardError);
    }

    [Fact]
    public async Task No_engine_exits_3_naming_the_endpoint_and_leaves_no_state()
    {
        using var cli = Cli();
        foreach (var detach in new[] { false, true })
        {
            var result = await cli.RunAsync(["up", "--runtime", "docker", "--name", "noengine", .. detach ? new[] { "--detach" } : []]);

            Assert.True(result.ExitCode == 3, result.ToString());
            Assert.Contains($"No Docker engine at {DeadEngine}: the socket {_dir.Path}/docker.sock does not exist", result.StandardError);
            Assert.Contains("hint: start an engine", result.StandardError);
            Assert.DoesNotContain("   at ", result.StandardError);
            Assert.Empty(_state.Store.Names());
        }
        // Nor a work directory (they are named replica-ENVIRONMENT-*).
        Assert.Empty(Directory.EnumerateDirectories(EnvironmentWorkRoot.Resolve(), "replica-noengine-*"));
    }

    [Fact]
    public async Task A_socket_file_nobody_accepts_on_exits_3_saying_connection_refused()
    {
        // What an engine that died leaves: a file at the socket path that nothing accepts on. (.NET unlinks the
        // sockets it binds when they close, so a plain file stands in for the stale socket.)
        var socket = _dir.Write("docker.sock", "");
        using var cli = Cli();

        var result = await cli.RunAsync(["up", "--runtime", "docker", "--name", "refused"]);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains($"No Docker engine at unix://{socket}: connection refused (nothing listens there)", result.StandardError);
        Assert.Empty(_state.Store.Names());
    }

    [Fact]
    public async Task A_DOCKER_HOST_that_is_not_an_endpoint_is_bad_input_naming_the_setting()
    {
        using var cli = Cli().WithVariable("DOCKER_HOST", "http://localhost:2375");

        var result = await cli.RunAsync(["up", "--runtime", "docker", "--name", "badhost"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("DOCKER_HOST: 'http://localhost:2375' is not a Docker endpoint; expected unix:///absolute/path.sock or tcp://host:port", result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
    }

    [Fact]
    public async Task A_port_published_beyond_loopback_is_bad_input_found_before_the_engine_is_asked()
    {
        using var cli = Cli("services:\n  redis:\n    image: redis:7\n    ports: [\"0.0.0.0::6379\"]\n");

        var result = await cli.RunAsync(["up", "--runtime", "docker", "--name", "exposed"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("compose.yaml:4:", result.StandardError);
        Assert.Contains("the docker runtime publishes on 127.0.0.1 only, not on 0.0.0.0", result.StandardError);
        Assert.DoesNotContain("No Docker engine", result.StandardError);
    }

    [Fact]
    public async Task A_build_context_without_its_Dockerfile_is_bad_input_naming_the_service()
    {
        _dir.Write("api/Program.cs", "");
        using var cli = Cli("services:\n  api:\n    build: { context: api, dockerfile: Dockerfile.dev }\n");

        var result = await cli.RunAsync(["up", "--runtime", "docker", "--name", "nodockerfile"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"services.api.build: no Dockerfile.dev in the context {_dir.Path}/api", result.StandardError);
    }
}
