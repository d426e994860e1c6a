using Replica.Environments.Docker;
using Replica.Environments.Readiness;

namespace Replica.Environments.Runtimes.Docker;

/// <summary>
/// A container's own healthcheck (the image's HEALTHCHECK or the compose healthcheck), as the engine reports it in
/// State.Health: healthy only once the engine has seen a check pass.
/// </summary>
public sealed class ContainerHealthProbe(DockerClient docker, string containerId, string containerName) : IHealthProbe
{
    public string Description => $"container healthcheck of {containerName}";

    public async Task<ProbeResult> CheckAsync(CancellationToken cancellationToken)
    {
        ContainerInfo info;
        try
        {
            info = await docker.InspectContainerAsync(containerId, cancellationToken);
        }
        catch (DockerApiException e)
        {
            return ProbeResult.Fail($"inspect {containerName}: {e.EngineMessage}");
        }
        return info.Health switch
        {
            null => ProbeResult.Ok("no container healthcheck"),
            { IsHealthy: true } => ProbeResult.Ok("container healthy"),
            var health => ProbeResult.Fail($"container health is {health.Status}"
                + (health.LastOutput is { Length: > 0 } output ? $"; its last check said: {output}" : "; no check has finished yet")),
        };
    }
}
