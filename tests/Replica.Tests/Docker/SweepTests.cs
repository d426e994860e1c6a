using System.Diagnostics;
using Replica.Environments.Docker;
using Replica.Environments.Processes;
using Replica.Tests.Support;

namespace Replica.Tests.Docker;

[Trait("Category", "Docker")]
[Collection(DockerCollection.Name)]
public sealed class SweepTests(DockerEngineFixture engine)
{
    [Fact]
    public async Task The_sweep_removes_what_a_dead_owner_left_and_keeps_what_a_live_owner_has()
    {
        var docker = engine.Docker;
        var image = await engine.RequireBaseImageAsync();
        var dead = await DeadOwnerAsync();
        // Same pid as a live process but another start time: the pid was reused, the owner is gone.
        var current = ProcessIdentity.Current();
        var reused = current with { StartTicks = current.StartTicks - 1 };
        var deadLabels = ReplicaLabels.ForOwner("sweep-dead", engine.RunId, dead);
        var reusedLabels = ReplicaLabels.ForOwner("sweep-reused", engine.RunId, reused);
        var liveLabels = ReplicaLabels.ForOwner("sweep-live", engine.RunId);

        var deadNetwork = await docker.CreateNetworkAsync($"replica-test-{engine.RunId}-dead", deadLabels);
        var deadContainer = await docker.CreateContainerAsync(new ContainerSpec(image)
        {
            Labels = deadLabels,
            Command = ["sleep", "60"],
            Networks = [new NetworkAttachment($"replica-test-{engine.RunId}-dead", ["orphan"])],
        });
        await docker.StartContainerAsync(deadContainer);
        var reusedContainer = await docker.CreateContainerAsync(new ContainerSpec(image) { Labels = reusedLabels, Command = ["true"] });
        var deadImage = await BuildTinyImageAsync($"replica-test/sweep-dead:{engine.RunId}", deadLabels);
        await using var liveNetwork = await DockerNetwork.CreateAsync(docker, $"replica-test-{engine.RunId}-live", liveLabels);
        var liveContainer = await docker.CreateContainerAsync(new ContainerSpec(image) { Labels = liveLabels, Command = ["true"] });
        try
        {
            var report = await new DockerSweeper(docker).SweepAsync();

            Assert.Empty(report.Failures);
            Assert.Contains(deadContainer, report.RemovedContainers);
            Assert.Contains(reusedContainer, report.RemovedContainers);
            Assert.Contains(deadNetwork, report.RemovedNetworks);
            Assert.Contains(deadImage, report.RemovedImages);
            var left = await docker.ListContainersAsync(new Dictionary<string, string?> { [ReplicaLabels.Run] = engine.RunId });
            Assert.Equal([liveContainer], left.Select(c => c.Id));
            var networks = await docker.ListNetworksAsync(new Dictionary<string, string?> { [ReplicaLabels.Run] = engine.RunId });
            Assert.Equal([liveNetwork.Id], networks.Select(n => n.Id));
            Assert.Null(await docker.InspectImageAsync(deadImage));
            // Cached images carry no owner: the sweep never touches them.
            Assert.NotNull(await docker.InspectImageAsync(image));
        }
        finally
        {
            await docker.RemoveContainerAsync(liveContainer);
            await docker.RemoveContainerAsync(deadContainer);
            await docker.RemoveContainerAsync(reusedContainer);
            await docker.RemoveNetworkAsync(deadNetwork);
            await docker.RemoveImageAsync(deadImage, force: true);
        }
    }

    /// <summary>A real process that ran and is gone: its pid and start time, read while it lived.</summary>
    private static async Task<ProcessIdentity> DeadOwnerAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("sleep", "60"))!;
        var owner = ProcessIdentity.Of(process.Id);
        process.Kill();
        await process.WaitForExitAsync();
        Assert.NotNull(owner);
        Assert.False(owner.IsAlive);
        return owner;
    }

    private async Task<string> BuildTinyImageAsync(string tag, IReadOnlyDictionary<string, string> labels)
    {
        using var context = new ScratchDirectory("replica-sweep-context-");
        context.Write("Dockerfile", $"FROM {engine.BaseImage}\nCMD [\"true\"]\n");
        return await engine.Docker.BuildImageAsync(new ImageBuildRequest(tag) { Labels = labels }, BuildContext.FromDirectory(context.Path));
    }
}
