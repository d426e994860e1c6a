using Replica.Environments.Docker;
using Replica.Environments.Errors;
using Replica.Tests.Support;

namespace Replica.Tests.Docker;

/// <summary>
/// Needs no engine: the message a user sees when none answers, and bad endpoint settings. In the docker collection
/// only so that it never runs while a negotiation test has DOCKER_API_VERSION set.
/// </summary>
[Trait("Category", "Docker")]
[Collection(DockerCollection.Name)]
public sealed class DockerEngineUnavailableTests
{
    [Fact]
    public async Task Connecting_to_a_socket_nobody_listens_on_names_the_endpoint()
    {
        using var directory = new ScratchDirectory("replica-dead-engine-");
        var endpoint = DockerEndpoint.Unix(Path.Combine(directory.Path, "docker.sock"));

        var error = await Assert.ThrowsAsync<ReplicaException>(() => DockerClient.ConnectAsync(endpoint));

        Assert.Equal(
            $"No Docker engine at unix://{directory.Path}/docker.sock: the socket {directory.Path}/docker.sock does not exist (is dockerd running?)",
            error.Message);
        Assert.Equal(3, error.ExitCode);
        Assert.Contains("docker-tier.sh start", error.Hint);
    }

    [Fact]
    public async Task A_socket_file_nobody_accepts_on_says_connection_refused()
    {
        using var directory = new ScratchDirectory("replica-dead-engine-");
        // What an engine that died leaves: a file at the socket path that nothing accepts on. (.NET unlinks
        // the sockets it binds when they close, so a plain file stands in for the stale socket.)
        var path = directory.Write("docker.sock", "");

        var error = await Assert.ThrowsAsync<ReplicaException>(() => DockerClient.ConnectAsync(DockerEndpoint.Unix(path)));

        Assert.Equal($"No Docker engine at unix://{path}: connection refused (nothing listens there)", error.Message);
        Assert.Equal(3, error.ExitCode);
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
