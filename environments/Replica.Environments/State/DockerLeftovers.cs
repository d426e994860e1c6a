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
        DockerEngine engine;
        try
        {
            engine = await TestcontainersConfiguration.EnsureConfiguredAsync(cancellationToken);
        }
        catch (ReplicaException)
        {
            // No engine answers now: what it holds keeps its owner labels, and the sweep at the next docker start
            // removes it. Reaping the rest (state, directories) must not wait for an engine.
            return;
        }
        try
        {
            // Failures (a removal already in progress) are left to the sweep at the next docker start.
            await new DockerSweeper(engine.Client).RemoveOwnedAsync(state.Name, state.Owner, cancellationToken);
        }
        catch (Exception e) when (e is global::Docker.DotNet.DockerApiException or HttpRequestException or IOException)
        {
            // The engine refused to list them, or went away: the next start's sweep retries.
        }
    }
}
