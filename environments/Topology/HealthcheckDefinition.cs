namespace Replica.Environments.Topology;

/// <summary>Compose `healthcheck:` with Docker's defaults for what is not written.</summary>
public sealed record HealthcheckDefinition(
    IReadOnlyList<string> Test,
    TimeSpan Interval,
    TimeSpan Timeout,
    int Retries,
    TimeSpan StartPeriod,
    bool Disabled)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public const int DefaultRetries = 3;

    /// <summary>How long Docker would wait before calling the service unhealthy.</summary>
    public TimeSpan Budget => TimeSpan.FromSeconds(Math.Min(
        StartPeriod.TotalSeconds + (Interval.TotalSeconds + Timeout.TotalSeconds) * Math.Max(1, Retries),
        YamlNodeReader.MaxDuration.TotalSeconds));
}
