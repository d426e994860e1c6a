using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using Replica.Environments.HealthChecks;

namespace Replica.Environments.Runtimes.Docker;

/// <summary>
/// A container's readiness checks (the compose healthcheck, or the image's HEALTHCHECK) as Testcontainers wait
/// strategies, evaluated once per call: the environment's readiness loop polls this check beside the check from the
/// host, with its own interval and the service's start_timeout, so a service can also be started without waiting
/// for it (Testcontainers would wait inside StartAsync, with no way to leave a service unhealthy on purpose).
/// </summary>
public sealed class ContainerHealthCheck(IContainer container, string containerName, IReadOnlyList<IContainerCheck> checks) : IHealthCheck
{
    private readonly IReadOnlyList<(WaitStrategy Strategy, IContainerCheck Check)> _strategies =
        checks.Select(check => (new WaitStrategy(check), check)).ToArray();

    public string Description => $"container healthcheck of {containerName}";

    public async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var details = new List<string>();
        foreach (var (strategy, check) in _strategies)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!await strategy.UntilAsync(container, cancellationToken).ConfigureAwait(false))
            {
                return HealthCheckResult.Fail(check.LastDetail);
            }
            details.Add(check.LastDetail);
        }
        return HealthCheckResult.Ok(details.Count == 0 ? "container healthy" : string.Join("; ", details));
    }
}
