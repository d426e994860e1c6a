using Replica.Environments.Docker;

namespace Replica.Tests.Docker;

[Trait("Category", "Docker")]
[Collection(DockerCollection.Name)]
public sealed class ListByLabelTests(DockerEngineFixture engine)
{
    [Fact]
    public async Task Listing_by_label_finds_exactly_the_containers_that_carry_it_running_or_not()
    {
        var docker = engine.Docker;
        var image = await engine.RequireBaseImageAsync();
        var ids = new List<string>();
        try
        {
            ContainerSpec Spec(string environment) => new(image)
            {
                Labels = ReplicaLabels.ForOwner(environment, engine.RunId),
                Command = ["sleep", "60"],
            };
            var alphaRunning = await docker.CreateContainerAsync(Spec("alpha"));
            ids.Add(alphaRunning);
            await docker.StartContainerAsync(alphaRunning);
            var alphaCreated = await docker.CreateContainerAsync(Spec("alpha"));
            ids.Add(alphaCreated);
            ids.Add(await docker.CreateContainerAsync(Spec("beta")));

            var alpha = await docker.ListContainersAsync(new Dictionary<string, string?>
            {
                [ReplicaLabels.Run] = engine.RunId,
                [ReplicaLabels.Environment] = "alpha",
            });

            Assert.Equal(new[] { alphaCreated, alphaRunning }.Order(), alpha.Select(c => c.Id).Order());
            Assert.All(alpha, c => Assert.Equal("alpha", c.Labels[ReplicaLabels.Environment]));
            Assert.Equal("running", alpha.Single(c => c.Id == alphaRunning).State);
            Assert.Equal("created", alpha.Single(c => c.Id == alphaCreated).State);
            Assert.Equal(3, (await docker.ListContainersAsync(new Dictionary<string, string?> { [ReplicaLabels.Run] = engine.RunId })).Count);
        }
        finally
        {
            foreach (var id in ids)
            {
                await docker.RemoveContainerAsync(id);
            }
        }
    }
}
