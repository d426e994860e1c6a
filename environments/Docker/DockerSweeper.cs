namespace Replica.Environments.Docker;

/// <summary>
/// Removes the containers, networks and images whose owner process (labels <see cref="ReplicaLabels.OwnerPid"/>
/// and <see cref="ReplicaLabels.OwnerStart"/>) no longer runs: what a crashed or killed run left behind.
/// Ryuk does this for Testcontainers with a sidecar; its image cannot be pulled here, so the runtime sweeps
/// when it starts instead. A resource labelled with an owner that is alive is left alone, whoever it is.
/// Resources without owner labels (cached images) are never touched.
/// </summary>
public sealed class DockerSweeper(DockerClient docker)
{
    private static readonly Dictionary<string, string?> HasOwner = new() { [ReplicaLabels.OwnerPid] = null };

    public async Task<SweepReport> SweepAsync(CancellationToken cancellationToken = default)
    {
        var failures = new List<string>();

        var containers = (await docker.ListContainersAsync(HasOwner, cancellationToken).ConfigureAwait(false))
            .Where(c => IsOrphan(c.Labels))
            .ToArray();
        var removedContainers = new List<string>();
        foreach (var container in containers)
        {
            if (await TryAsync(() => docker.RemoveContainerAsync(container.Id, cancellationToken), $"container {container.Names.FirstOrDefault() ?? container.Id}", failures).ConfigureAwait(false))
            {
                removedContainers.Add(container.Id);
            }
        }

        // Networks after their containers: the engine refuses to remove a network with endpoints.
        var networks = (await docker.ListNetworksAsync(HasOwner, cancellationToken).ConfigureAwait(false))
            .Where(n => IsOrphan(n.Labels))
            .ToArray();
        var removedNetworks = new List<string>();
        foreach (var network in networks)
        {
            if (await TryAsync(() => docker.RemoveNetworkAsync(network.Id, cancellationToken), $"network {network.Name}", failures).ConfigureAwait(false))
            {
                removedNetworks.Add(network.Id);
            }
        }

        var images = (await docker.ListImagesAsync(HasOwner, cancellationToken).ConfigureAwait(false))
            .Where(i => IsOrphan(i.Labels))
            .ToArray();
        var removedImages = new List<string>();
        foreach (var image in images)
        {
            if (await TryAsync(() => docker.RemoveImageAsync(image.Id, force: true, cancellationToken), $"image {image.RepoTags.FirstOrDefault() ?? image.Id}", failures).ConfigureAwait(false))
            {
                removedImages.Add(image.Id);
            }
        }

        return new SweepReport(removedContainers, removedNetworks, removedImages, failures.ToArray());
    }

    /// <summary>Owner labels that name no live process. Unreadable owner labels count as orphaned too.</summary>
    private static bool IsOrphan(IReadOnlyDictionary<string, string> labels) =>
        ReplicaLabels.OwnerOf(labels) is not { IsAlive: true };

    private static async Task<bool> TryAsync(Func<Task> remove, string what, List<string> failures)
    {
        try
        {
            await remove().ConfigureAwait(false);
            return true;
        }
        catch (DockerApiException e)
        {
            // One stuck resource must not stop the sweep of the others; the report says which and why.
            failures.Add($"{what}: {e.EngineMessage}");
            return false;
        }
    }
}
