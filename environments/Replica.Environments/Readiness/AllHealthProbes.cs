namespace Replica.Environments.Readiness;

/// <summary>Healthy when every probe is, checked in order; the first that fails says why.</summary>
public sealed class AllHealthProbes(IReadOnlyList<IHealthProbe> probes) : IHealthProbe
{
    public string Description => string.Join(" and ", probes.Select(p => p.Description));

    public async Task<ProbeResult> CheckAsync(CancellationToken cancellationToken)
    {
        var details = new List<string>();
        foreach (var probe in probes)
        {
            var result = await probe.CheckAsync(cancellationToken);
            if (!result.Healthy)
            {
                return result;
            }
            details.Add(result.Detail);
        }
        return ProbeResult.Ok(string.Join("; ", details));
    }
}
