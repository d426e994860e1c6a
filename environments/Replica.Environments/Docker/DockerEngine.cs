using Docker.DotNet;

namespace Replica.Environments.Docker;

/// <summary>
/// The engine Testcontainers was configured for (<see cref="TestcontainersConfiguration.EnsureConfiguredAsync"/>):
/// where it listens, what it speaks, and the Docker.DotNet client Testcontainers brings, set to the same endpoint and
/// API version, for what Testcontainers has no builder for (the label sweep, stop with a grace, kill, wait, inspect).
/// </summary>
/// <param name="EngineApiVersion">The newest API version the engine speaks (its GET /version).</param>
/// <param name="ApiVersion">The version every request is made with: Testcontainers' own and Replica's.</param>
/// <param name="RyukEnabled">Whether Testcontainers starts its reaper container (off unless asked for).</param>
public sealed record DockerEngine(
    DockerEndpoint Endpoint,
    string ServerVersion,
    Version EngineApiVersion,
    Version ApiVersion,
    bool RyukEnabled,
    IDockerClient Client)
{
    public override string ToString() => $"Docker engine {ServerVersion} at {Endpoint} (API {ApiVersion})";
}
