using Replica.Environments.Docker;

namespace Replica.Environments.Runtimes.Docker;

/// <param name="EnvironmentName">Names the network (replica-NAME), the containers (replica-NAME-SERVICE) and their labels.</param>
/// <param name="Images">Where images come from: official (pulled) or offline (built on a local base image).</param>
/// <param name="Progress">Short messages for slow one-off steps: the sweep, image builds and pulls, the network.</param>
/// <remarks>The engine is the one <see cref="TestcontainersConfiguration"/> configures: DOCKER_HOST, else the local socket.</remarks>
public sealed record DockerRuntimeOptions(string EnvironmentName, ImageSettings Images, Action<string>? Progress = null)
{
    /// <summary>How long a container gets to stop on its stop signal when the environment goes down, before SIGKILL.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(5);
}
