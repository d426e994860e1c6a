using System.Globalization;
using Replica.Environments.Docker;
using Replica.Environments.Errors;
using Replica.Environments.Runtimes.Docker;

namespace Replica.Environments.State;

/// <summary>
/// The <see cref="OrphanReaper"/> cleaner for environments that ran on the docker runtime: removes the containers
/// and the network that carry the environment's name and its dead owner's identity. For any other runtime it does
/// nothing and never connects to an engine.
/// </summary>
public static class DockerLeftovers
{
    public static async Task RemoveAsync(EnvironmentState state, CancellationToken cancellationToken)
    {
        if (state.Runtime != DockerRuntime.RuntimeName)
        {
            return;
        }
        DockerClient docker;
        try
        {
            docker = await DockerClient.ConnectAsync(cancellationToken: cancellationToken);
        }
        catch (ReplicaException)
        {
            // No engine answers now: what it holds keeps its owner labels, and the sweep at the next docker start
            // removes it. Reaping the rest (state, directories) must not wait for an engine.
            return;
        }
        using (docker)
        {
            // The owner too, not the name alone: another environment of the same name (another state directory)
            // may be up on the same engine.
            var ours = new Dictionary<string, string?>
            {
                [ReplicaLabels.Environment] = state.Name,
                [ReplicaLabels.OwnerPid] = state.Owner.Pid.ToString(CultureInfo.InvariantCulture),
                [ReplicaLabels.OwnerStart] = state.Owner.StartTicks.ToString(CultureInfo.InvariantCulture),
            };
            try
            {
                foreach (var container in await docker.ListContainersAsync(ours, cancellationToken))
                {
                    await docker.RemoveContainerAsync(container.Id, cancellationToken);
                }
                // Networks after their containers: the engine refuses to remove a network in use.
                foreach (var network in await docker.ListNetworksAsync(ours, cancellationToken))
                {
                    await docker.RemoveNetworkAsync(network.Id, cancellationToken);
                }
            }
            catch (DockerApiException)
            {
                // A removal the engine refuses (one already in progress): the next start's sweep retries it.
            }
        }
    }
}
