using System.Text.Json;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>
/// The R2 incident on the docker runtime: containers reach the TCP fault proxies on the bridge gateway and clients
/// reach the backend through the edge proxy; the same scenario file, the same verdicts as on local processes.
/// </summary>
[Trait("Category", "Docker")]
[Collection(DockerCollection.Name)]
public sealed class DockerScenarioTests(DockerEngineFixture engine) : IAsyncLifetime
{
    private readonly IsolatedStateStore _state = new();
    private CliRunner? _cli;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _cli?.Dispose();
        await _state.DisposeAsync();
    }

    [Fact]
    public async Task R2_reproduces_1011_under_baseline_and_passes_under_fixed_in_containers_five_runs_each()
    {
        await engine.RequireBaseImageAsync();
        _cli = new CliRunner(_state.Root).WithVariable("REPLICA_BASE_IMAGE", engine.BaseImage);
        var name = $"dockr2-{Guid.NewGuid():N}"[..14];

        var result = await _cli.RunAsync(
            ["verify", "r2", "--runtime", "docker", "--images", "offline", "--runs", "5", "--variants", "baseline,fixed", "--json", "--name", name],
            TimeSpan.FromMinutes(10));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var report = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal("docker", report.RootElement.GetProperty("runtime").GetString());
        var variants = report.RootElement.GetProperty("variants").EnumerateArray().ToDictionary(v => v.GetProperty("variant").GetString()!);
        Assert.Equal(5, variants["baseline"].GetProperty("symptoms").GetInt32());
        Assert.Equal(5, variants["fixed"].GetProperty("passed").GetInt32());

        var (containers, networks) = await engine.EnvironmentResourcesAsync(name);
        Assert.Empty(containers);
        Assert.Empty(networks);
    }
}
