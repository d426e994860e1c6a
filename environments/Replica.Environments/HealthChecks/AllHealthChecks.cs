namespace Replica.Environments.HealthChecks;

/// <summary>Healthy when every check is, checked in order; the first that fails says why.</summary>
public sealed class AllHealthChecks(IReadOnlyList<IHealthCheck> checks) : IHealthCheck
{
    public string Description => string.Join(" and ", checks.Select(p => p.Description));

    public async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var details = new List<string>();
        foreach (var check in checks)
        {
            var result = await check.CheckAsync(cancellationToken);
            if (!result.Healthy)
            {
                return result;
            }
            details.Add(result.Detail);
        }
        return HealthCheckResult.Ok(string.Join("; ", details));
    }
}
