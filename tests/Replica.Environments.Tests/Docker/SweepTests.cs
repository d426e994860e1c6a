using System.Diagnostics;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using Microsoft.Extensions.Logging.Abstractions;
using Replica.Environments.Docker;
using Replica.Environments.Processes;
using Replica.Tests.Support;

namespace Replica.Environments.Tests.Docker;

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
        try
        {
            // What a killed run leaves: Testcontainers resources that nobody disposed.
            var deadNetwork = new NetworkBuilder().WithName($"replica-test-{engine.RunId}-dead").WithLabel(deadLabels).WithLogger(NullLogger.Instance).Build();
            await deadNetwork.CreateAsync();
            var deadNetworkId = (await docker.Networks.InspectNetworkAsync(deadNetwork.Name)).ID;
            var deadContainer = await StartAsync(new ContainerBuilder(image).WithLabel(deadLabels).WithCommand("sleep", "60")
                .WithNetwork(deadNetwork).WithNetworkAliases("orphan"));
            var reusedContainer = await StartAsync(new ContainerBuilder(image).WithLabel(reusedLabels).WithCommand("true"));
            var deadImage = await BuildTinyImageAsync($"replica-test/sweep-dead:{engine.RunId}", deadLabels);
            var liveNetwork = new NetworkBuilder().WithName($"replica-test-{engine.RunId}-live").WithLabel(liveLabels).WithLogger(NullLogger.Instance).Build();
            await liveNetwork.CreateAsync();
            var liveContainer = await StartAsync(new ContainerBuilder(image).WithLabel(liveLabels).WithCommand("true"));

            var report = await new DockerSweeper(docker).SweepAsync();

            Assert.Empty(report.Failures);
            Assert.Contains(deadContainer.Id, report.RemovedContainers);
            Assert.Contains(reusedContainer.Id, report.RemovedContainers);
            Assert.Contains(deadNetworkId, report.RemovedNetworks);
            Assert.Contains(deadImage, report.RemovedImages);
            var (left, networks) = await engine.LabelledAsync(ReplicaLabels.Run, engine.RunId);
            Assert.Equal([liveContainer.Id], left.Select(c => c.ID));
            Assert.Equal([liveNetwork.Name], networks.Select(n => n.Name));
            Assert.Null(await engine.InspectImageAsync(deadImage));
            // Cached images carry no owner: the sweep never touches them.
            Assert.NotNull(await engine.InspectImageAsync(image));
        }
        finally
        {
            await new DockerSweeper(docker).RemoveLabelledAsync(new Dictionary<string, string?> { [ReplicaLabels.Run] = engine.RunId });
        }
    }

    private static async Task<IContainer> StartAsync(ContainerBuilder builder)
    {
        var container = builder.WithLogger(NullLogger.Instance).Build();
        await container.StartAsync();
        return container;
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
        var built = await new ImageBuilder(engine.Engine, engine.OfflineSettings).EnsureBuiltAsync(tag, BuildContext.FromDirectory(context.Path), baseImage: null, labels: labels);
        return built.Id;
    }
}
