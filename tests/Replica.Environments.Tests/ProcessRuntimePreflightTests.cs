using Replica.Environments.Compose;
using Replica.Environments.Errors;
using Replica.Environments.Runtimes.Process;
using Replica.Tests.Support;

namespace Replica.Environments.Tests;

/// <summary>What the process runtime cannot run is reported before anything starts, at the compose line.</summary>
public sealed class ProcessRuntimePreflightTests : IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<ConfigurationException> RejectAsync(string yaml)
    {
        var topology = ComposeLoader.Load(_dir.Write("compose.yaml", yaml));
        var runtime = new ProcessRuntime(new ProcessRuntimeOptions(_dir.Path, _dir.Path));
        return await Assert.ThrowsAsync<ConfigurationException>(() => runtime.PrepareAsync(topology, CancellationToken.None));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("::1")]
    public async Task A_host_ip_that_is_no_IPv4_address_is_reported_at_its_port(string hostIp)
    {
        var error = await RejectAsync($$"""
            services:
              api:
                image: api
                ports:
                  - { target: 80, host_ip: "{{hostIp}}" }
                x-replica: { command: [sleep, "60"] }
            """);
        var problem = Assert.Single(error.Problems);
        Assert.Contains($"host_ip '{hostIp}'", problem.Message);
        Assert.Equal(5, problem.Location.Line);
    }

    [Fact]
    public async Task A_port_placeholder_beyond_any_port_is_reported()
    {
        var error = await RejectAsync("""
            services:
              api:
                image: api
                ports: ["80"]
                x-replica: { command: [sleep, "{port:99999999999}"] }
            """);
        Assert.Contains("{port:99999999999} names a port the service does not declare", Assert.Single(error.Problems).Message);
    }
}
