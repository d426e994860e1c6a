using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using Replica.Environments.Docker;
using Replica.Testing.Containers;

namespace Replica.Testing.Tests;

/// <summary>
/// The bridge's container overload on a real engine: where it connects (the port Docker published, on 127.0.0.1) and
/// what it says about a container it cannot stand in front of. The image is the offline Redis image, built locally.
/// </summary>
[Trait("Category", "Docker")]
[Collection(DockerCollection.Name)]
public sealed class TcpFaultProxyContainerTests : IAsyncLifetime
{
    private const string Image = "replica/redis:7";
    private const int RedisPort = 6379;
    private IContainer redis = null!;

    public async Task InitializeAsync()
    {
        await TestcontainersConfiguration.EnsureConfiguredAsync();
        redis = new ContainerBuilder(Image)
            .WithPortBinding(RedisPort, assignRandomHostPort: true)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("Ready to accept connections"))
            .Build();
    }

    public async Task DisposeAsync() => await redis.DisposeAsync();

    [Fact]
    public async Task Forwards_to_the_containers_published_port_on_the_loopback_address()
    {
        await redis.StartAsync();

        await using var proxy = await TcpFaultProxy.StartAsync(redis, RedisPort);

        Assert.Equal($"127.0.0.1:{redis.GetMappedPublicPort(RedisPort)}", proxy.Upstream);
        Assert.Equal("redis_6379", proxy.Name);
        Assert.StartsWith("127.0.0.1:", proxy.Endpoint);
        Assert.NotEqual(redis.GetMappedPublicPort(RedisPort), proxy.Port);
    }

    [Fact]
    public async Task A_container_not_started_yet_is_refused_naming_the_parameter()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => TcpFaultProxy.StartAsync(redis, RedisPort));

        Assert.Equal("container", error.ParamName);
        Assert.Contains($"container {Image} is not running (state Undefined): start it", error.Message);
    }

    [Fact]
    public async Task A_port_the_container_does_not_publish_is_refused_naming_the_parameter()
    {
        await redis.StartAsync();

        var unpublished = await Assert.ThrowsAsync<ArgumentException>(() => TcpFaultProxy.StartAsync(redis, 6380));
        var outOfRange = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => TcpFaultProxy.StartAsync(redis, 0));

        Assert.Equal("containerPort", unpublished.ParamName);
        Assert.Contains("publishes no port 6380: publish it with WithPortBinding(6380, true)", unpublished.Message);
        Assert.Equal("containerPort", outOfRange.ParamName);
    }
}
