using Replica.Environments.Docker;

namespace Replica.Tests.Docker;

[Trait("Category", "Docker")]
[Collection(DockerCollection.Name)]
public sealed class NetworkTests(DockerEngineFixture engine)
{
    [Fact]
    public async Task A_container_reaches_another_by_its_alias()
    {
        var docker = engine.Docker;
        var image = (await engine.RedisImageAsync()).Tag;
        await using var network = await DockerNetwork.CreateAsync(docker, $"replica-test-{engine.RunId}-alias", engine.Labels);
        await using var redis = await DockerContainer.RunAsync(docker, new ContainerSpec(image)
        {
            Labels = engine.Labels,
            Networks = [new NetworkAttachment(network.Name, ["cache"])],
            Healthcheck = new HealthcheckSpec(["CMD", "redis-cli", "ping"]) { Interval = TimeSpan.FromMilliseconds(200) },
        });
        await redis.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));

        var clientId = await docker.CreateContainerAsync(new ContainerSpec(image)
        {
            Labels = engine.Labels,
            Command = ["redis-cli", "-h", "cache", "ping"],
            Networks = [new NetworkAttachment(network.Name, [])],
        });
        try
        {
            await docker.StartContainerAsync(clientId);

            Assert.Equal(0, await docker.WaitContainerAsync(clientId));
            Assert.Equal("PONG\n", (await docker.GetLogsAsync(clientId)).Stdout);
        }
        finally
        {
            await docker.RemoveContainerAsync(clientId);
        }
    }

    [Fact]
    public async Task A_container_joins_every_network_it_names_with_its_aliases()
    {
        var docker = engine.Docker;
        await using var front = await DockerNetwork.CreateAsync(docker, $"replica-test-{engine.RunId}-front", engine.Labels);
        await using var back = await DockerNetwork.CreateAsync(docker, $"replica-test-{engine.RunId}-back", engine.Labels);
        var id = await docker.CreateContainerAsync(new ContainerSpec(await engine.RequireBaseImageAsync())
        {
            Labels = engine.Labels,
            Command = ["sleep", "60"],
            Networks = [new NetworkAttachment(front.Name, ["api"]), new NetworkAttachment(back.Name, ["api-internal", "worker"])],
        });
        try
        {
            var info = await docker.InspectContainerAsync(id);

            Assert.Contains("api", info.Networks[front.Name].Aliases);
            Assert.Contains("api-internal", info.Networks[back.Name].Aliases);
            Assert.Contains("worker", info.Networks[back.Name].Aliases);
        }
        finally
        {
            await docker.RemoveContainerAsync(id);
        }
    }

    [Fact]
    public async Task Removing_a_network_leaves_no_trace_and_a_second_removal_is_fine()
    {
        var docker = engine.Docker;
        var name = $"replica-test-{engine.RunId}-gone";
        var id = await docker.CreateNetworkAsync(name, engine.Labels);
        Assert.Contains(await docker.ListNetworksAsync(new Dictionary<string, string?> { [ReplicaLabels.Run] = engine.RunId }), n => n.Id == id && n.Name == name);

        await docker.RemoveNetworkAsync(id);
        await docker.RemoveNetworkAsync(id);

        Assert.DoesNotContain(await docker.ListNetworksAsync(new Dictionary<string, string?> { [ReplicaLabels.Run] = engine.RunId }), n => n.Id == id);
    }
}
