namespace Replica.Chaos.Scenarios;

/// <summary>Where a probe connects: through the edge proxy (as clients do), or straight to a service.</summary>
public sealed record ProbeTarget(string? Service)
{
    public static readonly ProbeTarget Edge = new((string?)null);

    public bool ViaEdge => Service is null;

    public override string ToString() => Service is null ? "edge" : Service;
}
