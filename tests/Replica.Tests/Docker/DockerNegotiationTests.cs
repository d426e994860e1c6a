using System.Net.Sockets;
using Replica.Environments.Docker;

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
