namespace Replica.Environments.Compose;

/// <summary>Compose `healthcheck:` with Docker's defaults for what is not written.</summary>
/// <param name="IntervalWritten">False when <see cref="Interval"/> is Docker's default, not the file's.</param>
/// <param name="StartInterval">start_interval: the interval during the start period (Docker API 1.44+).</param>
public sealed record HealthcheckDefinition(
    IReadOnlyList<string> Test,
    TimeSpan Interval,
    TimeSpan Timeout,
    int Retries,
    TimeSpan StartPeriod,
    bool Disabled,
    bool IntervalWritten = true,
    TimeSpan? StartInterval = null)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public const int DefaultRetries = 3;

    /// <summary>How long Docker would wait before calling the service unhealthy.</summary>
    public TimeSpan Budget => TimeSpan.FromSeconds(Math.Min(
        StartPeriod.TotalSeconds + (Interval.TotalSeconds + Timeout.TotalSeconds) * Math.Max(1, Retries),
        YamlNodeReader.MaxDuration.TotalSeconds));
}
