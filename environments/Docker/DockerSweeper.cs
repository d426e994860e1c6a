using System.Globalization;
using Replica.Environments.Processes;

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

    public Task<SweepReport> SweepAsync(CancellationToken cancellationToken = default) =>
        RemoveAsync(HasOwner, IsOrphan, withImages: true, cancellationToken);

    /// <summary>
    /// Removes the containers and networks of environment <paramref name="environment"/> that
    /// <paramref name="owner"/> created, alive or not (a forced stop, the reaping of a recorded environment). The
    /// owner as well as the name: another environment of the same name (another state directory) may be up on the
    /// same engine. Images are left to the sweep once the owner is gone.
    /// </summary>
    public Task<SweepReport> RemoveOwnedAsync(string environment, ProcessIdentity owner, CancellationToken cancellationToken = default) =>
        RemoveAsync(
            new Dictionary<string, string?>
            {
                [ReplicaLabels.Environment] = environment,
                [ReplicaLabels.OwnerPid] = owner.Pid.ToString(CultureInfo.InvariantCulture),
                [ReplicaLabels.OwnerStart] = owner.StartTicks.ToString(CultureInfo.InvariantCulture),
            },
            _ => true, withImages: false, cancellationToken);

    private async Task<SweepReport> RemoveAsync(
        IReadOnlyDictionary<string, string?> labelled, Func<IReadOnlyDictionary<string, string>, bool> remove, bool withImages, CancellationToken cancellationToken)
    {
        var failures = new List<string>();

        var containers = (await docker.ListContainersAsync(labelled, cancellationToken).ConfigureAwait(false))
            .Where(c => remove(c.Labels))
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
        var networks = (await docker.ListNetworksAsync(labelled, cancellationToken).ConfigureAwait(false))
            .Where(n => remove(n.Labels))
            .ToArray();
        var removedNetworks = new List<string>();
        foreach (var network in networks)
        {
            if (await TryAsync(() => docker.RemoveNetworkAsync(network.Id, cancellationToken), $"network {network.Name}", failures).ConfigureAwait(false))
            {
                removedNetworks.Add(network.Id);
            }
        }

        var images = withImages
            ? (await docker.ListImagesAsync(labelled, cancellationToken).ConfigureAwait(false)).Where(i => remove(i.Labels)).ToArray()
            : [];
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
