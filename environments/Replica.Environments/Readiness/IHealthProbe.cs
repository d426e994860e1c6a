namespace Replica.Environments.Readiness;

/// <summary>A single readiness check against a running service.</summary>
public interface IHealthProbe
{
    string Description { get; }

    Task<ProbeResult> CheckAsync(CancellationToken cancellationToken);
}
