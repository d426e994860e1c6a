namespace Replica.Environments.Docker;

/// <summary>
/// A container healthcheck (compose <c>healthcheck:</c>). <see cref="Test"/> is the engine's form:
/// <c>["CMD", "redis-cli", "ping"]</c>, <c>["CMD-SHELL", "pg_isready"]</c> or <c>["NONE"]</c>.
/// Durations below 1 ms mean "inherit the default".
/// </summary>
public sealed record HealthcheckSpec(IReadOnlyList<string> Test)
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan StartPeriod { get; init; } = TimeSpan.Zero;

    public int Retries { get; init; } = 3;

    /// <summary>The interval during <see cref="StartPeriod"/>; sent only to engines with API 1.44 or newer.</summary>
    public TimeSpan? StartInterval { get; init; }
}
