using System.Net.Sockets;
using Replica.Environments.Docker;
using Replica.Environments.Errors;

namespace Replica.Tests.Docker;

[Trait("Category", "Docker")]
[Collection(DockerCollection.Name)]
public sealed class DockerNegotiationTests(DockerEngineFixture engine)
{
    [Fact]
    public async Task The_client_speaks_the_newest_version_both_sides_know()
    {
        var docker = engine.Docker;

        // Ask the engine ourselves, over a plain socket, what it offers.
        var offered = await EngineApiVersionAsync(docker.Endpoint);

        Assert.Equal(offered, docker.EngineApiVersion);
        var expected = offered < DockerClient.MaxApiVersion ? offered : DockerClient.MaxApiVersion;
        Assert.Equal(expected, docker.ApiVersion);
        Assert.True(docker.ApiVersion >= DockerClient.MinApiVersion);
        // A request on the negotiated path is answered (a version the engine refused would be a 400).
        Assert.NotNull(await docker.ListContainersAsync(new Dictionary<string, string?> { [ReplicaLabels.Run] = engine.RunId }));
    }

    [Fact]
    public async Task DOCKER_API_VERSION_pins_the_version_instead_of_negotiating()
    {
        var engineVersion = engine.Docker.EngineApiVersion;

        await using var docker = await WithPinAsync(DockerClient.MinApiVersion.ToString());

        Assert.Equal(DockerClient.MinApiVersion, docker.ApiVersion);
        Assert.NotNull(await docker.ListContainersAsync(new Dictionary<string, string?> { [ReplicaLabels.Run] = engine.RunId }));
        Assert.Equal(engineVersion, docker.EngineApiVersion);
    }

    [Theory]
    [InlineData("latest", "DOCKER_API_VERSION: 'latest' is not an API version; expected major.minor such as 1.44")]
    [InlineData("1.40", "DOCKER_API_VERSION=1.40 is older than 1.41, the oldest API Replica speaks")]
    public async Task A_bad_DOCKER_API_VERSION_is_bad_input(string value, string message)
    {
        var error = await Assert.ThrowsAsync<ReplicaException>(() => WithPinAsync(value));

        Assert.Equal(message, error.Message);
        Assert.Equal(2, error.ExitCode);
    }

    [Fact]
    public async Task A_DOCKER_API_VERSION_newer_than_the_engine_is_bad_input_naming_both()
    {
        var engineVersion = engine.Docker.EngineApiVersion;
        var tooNew = new Version(engineVersion.Major, engineVersion.Minor + 1);

        var error = await Assert.ThrowsAsync<ReplicaException>(() => WithPinAsync(tooNew.ToString()));

        Assert.Equal($"DOCKER_API_VERSION={tooNew} is newer than API {engineVersion}, the newest the engine at {engine.Docker.Endpoint} speaks", error.Message);
        Assert.Equal(2, error.ExitCode);
    }

    /// <summary>
    /// Connects with DOCKER_API_VERSION set. The variable is process-wide: this class runs in the docker
    /// collection, whose engine connection is made before any of its tests, and nothing else reads it.
    /// </summary>
    private static async Task<DockerClient> WithPinAsync(string value)
    {
        Environment.SetEnvironmentVariable("DOCKER_API_VERSION", value);
        try
        {
            return await DockerClient.ConnectAsync();
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKER_API_VERSION", null);
        }
    }

    private static async Task<Version> EngineApiVersionAsync(DockerEndpoint endpoint)
    {
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(endpoint.SocketPath!), token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://docker/") };
        using var response = await http.GetAsync("_ping");
        return Version.Parse(response.Headers.GetValues("Api-Version").Single());
    }
}
