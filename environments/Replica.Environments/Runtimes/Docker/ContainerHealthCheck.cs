using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using Replica.Environments.HealthChecks;

namespace Replica.Environments.Runtimes.Docker;

/// <summary>
/// A container's readiness check (the compose healthcheck, or else the image's HEALTHCHECK) as a Testcontainers wait
/// strategy, evaluated once per call: the environment's readiness loop polls this check beside the check from the
/// host, with its own interval and the service's start_timeout, so a service can also be started without waiting
/// for it (Testcontainers would wait inside StartAsync, with no way to leave a service unhealthy on purpose).
/// </summary>
public sealed class ContainerHealthCheck(IContainer container, string containerName, IContainerCheck check) : IHealthCheck
{
    private readonly WaitStrategy _strategy = new(check);

    public string Description => $"container healthcheck of {containerName}";

    public async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken) =>
        await _strategy.UntilAsync(container, cancellationToken).ConfigureAwait(false)
            ? HealthCheckResult.Ok(check.LastDetail)
            : HealthCheckResult.Fail(check.LastDetail);
}
