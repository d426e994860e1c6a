using Docker.DotNet;
using Docker.DotNet.Handler.Abstractions;
using DotNet.Testcontainers.Configurations;

namespace Replica.Environments.Docker;

/// <summary>
/// Testcontainers' endpoint configuration with the API version Replica chose for the engine. Testcontainers' own
/// <see cref="DockerEndpointAuthenticationConfiguration"/> takes its version from DOCKER_API_VERSION or
/// ~/.testcontainers.properties, read once per process, and otherwise asks for 1.44, which older engines (Debian's
/// dockerd 20.10 speaks 1.41) refuse; this one carries the version asked of the engine itself.
/// </summary>
internal sealed class EngineEndpointConfiguration(Uri endpoint, Version apiVersion) : IDockerEndpointAuthenticationConfiguration
{
    public Version Version => apiVersion;

    public Uri Endpoint => endpoint;

    public IAuthProvider? AuthProvider => null;

    public DockerClientBuilder GetDockerClientBuilder(Guid sessionId = default) =>
        new DockerEndpointAuthenticationConfiguration(endpoint).GetDockerClientBuilder(sessionId).WithApiVersion(apiVersion);
}
