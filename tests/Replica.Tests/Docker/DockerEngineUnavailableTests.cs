using Replica.Environments.Docker;
using Replica.Environments.Errors;

namespace Replica.Tests.Docker;

/// <summary>Needs no engine: the message a user sees when none answers, and bad endpoint settings.</summary>
[Trait("Category", "Docker")]
public sealed class DockerEngineUnavailableTests
{
    [Fact]
    public async Task Connecting_to_a_socket_nobody_listens_on_names_the_endpoint()
    {
        var directory = Directory.CreateTempSubdirectory("replica-dead-engine-");
        try
        {
            var endpoint = DockerEndpoint.Unix(Path.Combine(directory.FullName, "docker.sock"));

            var error = await Assert.ThrowsAsync<ReplicaException>(() => DockerClient.ConnectAsync(endpoint));

            Assert.StartsWith($"No Docker engine at unix://{directory.FullName}/docker.sock: ", error.Message);
            Assert.Equal(3, error.ExitCode);
            Assert.Contains("docker-tier.sh start", error.Hint);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("http://localhost:2375")]
    [InlineData("unix://relative.sock")]
    [InlineData("tcp://localhost")]
    public void A_bad_DOCKER_HOST_is_bad_input_naming_the_setting(string value)
    {
        var error = Assert.Throws<ReplicaException>(() => DockerEndpoint.Parse(value, "DOCKER_HOST"));

        Assert.Equal(2, error.ExitCode);
        Assert.Contains($"DOCKER_HOST: '{value}'", error.Message);
        Assert.Contains("expected unix:///absolute/path.sock or tcp://host:port", error.Message);
    }

    [Fact]
    public void Endpoints_parse_to_what_they_name()
    {
        Assert.Equal("/run/x/docker.sock", DockerEndpoint.Parse("unix:///run/x/docker.sock").SocketPath);
        var tcp = DockerEndpoint.Parse("tcp://127.0.0.1:2375");
        Assert.Equal(("127.0.0.1", 2375), (tcp.Host, tcp.Port));
        Assert.Equal("tcp://127.0.0.1:2375", tcp.Address);
    }
}
