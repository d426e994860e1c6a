using Docker.DotNet;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using Microsoft.Extensions.Logging.Abstractions;
using Replica.Environments.Docker;
using Replica.Tests.Support;

namespace Replica.Environments.Tests.Docker;

/// <summary>
/// Testcontainers on this machine's engine with nothing set by the user (the docker tier runs with no DOCKER_API_VERSION,
/// no TESTCONTAINERS_* variable and no ~/.testcontainers.properties): the engine is asked, and a plain builder works.
/// </summary>
[Trait("Category", "Docker")]
[Collection(DockerCollection.Name)]
public sealed class TestcontainersConfigurationTests(DockerEngineFixture engine)
{
    [Fact]
    public async Task The_API_version_is_asked_of_the_engine_and_given_to_Testcontainers()
    {
        var configured = engine.Engine;

        // Ask the engine ourselves, unversioned, what it speaks.
        using var plain = new DockerClientBuilder().WithEndpoint(configured.Endpoint.Uri).WithApiVersion(null).Build();
        var offered = Version.Parse((await plain.System.GetVersionAsync()).APIVersion);

        Assert.Equal(offered, configured.EngineApiVersion);
        Assert.Equal(offered < TestcontainersConfiguration.PreferredApiVersion ? offered : TestcontainersConfiguration.PreferredApiVersion, configured.ApiVersion);
        Assert.Equal(configured.ApiVersion, TestcontainersSettings.OS.DockerEndpointAuthConfig.Version);
        Assert.Equal(configured.Endpoint.Uri, TestcontainersSettings.OS.DockerEndpointAuthConfig.Endpoint);
        Assert.Equal("127.0.0.1", TestcontainersSettings.DockerHostOverride);
        Assert.False(TestcontainersSettings.ResourceReaperEnabled);
        // A second call is the same configuration, at once.
        Assert.Same(configured, await TestcontainersConfiguration.EnsureConfiguredAsync());
    }

    [Fact]
    public async Task A_plain_ContainerBuilder_runs_a_container_reachable_on_loopback()
    {
        var image = (await engine.RedisImageAsync()).Tag;
        await using var redis = new ContainerBuilder(image)
            .WithLabel(engine.Labels)
            .WithPortBinding(6379, assignRandomHostPort: true)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilCommandIsCompleted("redis-cli", "ping"))
            .WithLogger(NullLogger.Instance)
            .Build();

        await redis.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal("127.0.0.1", redis.Hostname);
        Assert.Equal("PONG", await RedisPing.SendAsync(redis.Hostname, redis.GetMappedPublicPort(6379), TimeSpan.FromSeconds(5)));
    }
}
