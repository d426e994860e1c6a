using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using Replica.Environments.Processes;

namespace Replica.Environments.Docker;

/// <summary>
/// Removes the containers, networks and images whose owner process (labels <see cref="ReplicaLabels.OwnerPid"/> and
/// <see cref="ReplicaLabels.OwnerStart"/>) no longer runs: what a crashed or killed run left behind. Ryuk does this
/// for Testcontainers with a container of its own, whose image a machine without a registry cannot pull, and it only
/// reaps its own session; this sweep runs when a docker environment starts or goes down instead, through the
/// Docker.DotNet client Testcontainers brings. A resource labelled with an owner that is alive is left alone, whoever
/// it is. Resources without owner labels (cached images) are never touched.
/// </summary>
public sealed class DockerSweeper(IDockerClient docker)
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

    /// <summary>Removes every container, then every network, carrying all of <paramref name="labels"/>, whoever owns them.</summary>
    public Task<SweepReport> RemoveLabelledAsync(IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken = default) =>
        RemoveAsync(labels, _ => true, withImages: false, cancellationToken);

    private async Task<SweepReport> RemoveAsync(
        IReadOnlyDictionary<string, string?> labelled, Func<IDictionary<string, string>, bool> remove, bool withImages, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        var filter = LabelFilter.Of(labelled);

        var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filter }, cancellationToken).ConfigureAwait(false);
        var removedContainers = await RemoveEachAsync(containers, c => c.ID, c => c.Labels, c => $"container {c.Names?.FirstOrDefault()?.TrimStart('/') ?? c.ID}",
            id => docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken)).ConfigureAwait(false);

        // Networks after their containers: the engine refuses to remove a network with endpoints.
        var networks = await docker.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filter }, cancellationToken).ConfigureAwait(false);
        var removedNetworks = await RemoveEachAsync(networks, n => n.ID, n => n.Labels, n => $"network {n.Name}",
            id => docker.Networks.DeleteNetworkAsync(id, cancellationToken)).ConfigureAwait(false);

        var images = withImages ? await docker.Images.ListImagesAsync(new ImagesListParameters { Filters = filter }, cancellationToken).ConfigureAwait(false) : [];
        var removedImages = await RemoveEachAsync(images, i => i.ID, i => i.Labels, i => $"image {i.RepoTags?.FirstOrDefault() ?? i.ID}",
            id => docker.Images.DeleteImageAsync(id, new ImageDeleteParameters { Force = true }, cancellationToken)).ConfigureAwait(false);

        return new SweepReport(removedContainers, removedNetworks, removedImages, failures.ToArray());

        // Removes the listed resources that <remove> selects, one after another; returns the ids removed (or gone already).
        async Task<List<string>> RemoveEachAsync<T>(IList<T> listed, Func<T, string> id, Func<T, IDictionary<string, string>?> labels, Func<T, string> what, Func<string, Task> delete)
        {
            var removed = new List<string>();
            foreach (var resource in listed.Where(r => remove(labels(r) ?? new Dictionary<string, string>())))
            {
                if (await TryAsync(() => delete(id(resource)), what(resource), failures).ConfigureAwait(false))
                {
                    removed.Add(id(resource));
                }
            }
            return removed;
        }
    }

    /// <summary>Owner labels that name no live process. Unreadable owner labels count as orphaned too.</summary>
    private static bool IsOrphan(IDictionary<string, string> labels) =>
        ReplicaLabels.OwnerOf(labels.AsReadOnly()) is not { IsAlive: true };

    private static async Task<bool> TryAsync(Func<Task> remove, string what, List<string> failures)
    {
        try
        {
            await remove().ConfigureAwait(false);
            return true;
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Gone already (removed by its owner meanwhile): what the sweep wanted.
            return true;
        }
        catch (DockerApiException e)
        {
            // One stuck resource must not stop the sweep of the others; the report says which and why.
            failures.Add($"{what}: {DockerErrors.EngineMessage(e)}");
            return false;
        }
    }
}
