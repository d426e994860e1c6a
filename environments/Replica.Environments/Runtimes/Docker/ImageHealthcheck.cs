using Docker.DotNet;
using DotNet.Testcontainers.Containers;
using Replica.Environments.Docker;

namespace Replica.Environments.Runtimes.Docker;

/// <summary>
/// The image's own HEALTHCHECK, as the engine reports it in State.Health: healthy once the engine has seen a check
/// pass. Testcontainers' <c>UntilContainerIsHealthy</c> reads the state Testcontainers last inspected, which only its
/// own wait loop refreshes; this asks the engine each time.
/// </summary>
public sealed class ImageHealthcheck(IDockerClient docker, string containerId) : IContainerCheck
{
    public string LastDetail { get; private set; } = "no check has finished yet";

    public async Task<bool> UntilAsync(IContainer container)
    {
        try
        {
            var state = (await docker.Containers.InspectContainerAsync(containerId).ConfigureAwait(false)).State;
            if (state?.Health is not { } health)
            {
                LastDetail = "no container healthcheck";
                return true;
            }
            var last = health.Log?.LastOrDefault()?.Output?.Trim();
            LastDetail = $"container health is {health.Status}" + (last is { Length: > 0 } ? $"; its last check said: {last}" : "; no check has finished yet");
            return health.Status == "healthy";
        }
        catch (DockerApiException e)
        {
            LastDetail = $"inspect {container.Name}: {DockerErrors.EngineMessage(e)}";
            return false;
        }
    }
}
