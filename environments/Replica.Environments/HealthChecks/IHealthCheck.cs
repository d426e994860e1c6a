namespace Replica.Environments.HealthChecks;

/// <summary>A single readiness check against a running service.</summary>
public interface IHealthCheck
{
    string Description { get; }

    Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken);
}
