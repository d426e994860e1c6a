namespace Replica.Environments.Topology;

/// <summary>Compose's depends_on conditions.</summary>
public enum DependencyCondition
{
    ServiceStarted,
    ServiceHealthy,
    ServiceCompletedSuccessfully,
}
