namespace Replica.Environments.Compose;

/// <summary>Compose's depends_on conditions.</summary>
public enum DependencyCondition
{
    ServiceStarted,
    ServiceHealthy,
    ServiceCompletedSuccessfully,
}
