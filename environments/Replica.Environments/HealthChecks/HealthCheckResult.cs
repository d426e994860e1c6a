namespace Replica.Environments.HealthChecks;

/// <summary>One health check's outcome; <see cref="Detail"/> says what was seen (status and body, the error).</summary>
public sealed record HealthCheckResult(bool Healthy, string Detail)
{
    public static HealthCheckResult Ok(string detail = "ok") => new(true, detail);

    public static HealthCheckResult Fail(string detail) => new(false, detail);
}
