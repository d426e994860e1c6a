namespace Replica.Environments.Readiness;

/// <summary>One health check's outcome; <see cref="Detail"/> says what was seen (status and body, the error).</summary>
public sealed record ProbeResult(bool Healthy, string Detail)
{
    public static ProbeResult Ok(string detail = "ok") => new(true, detail);

    public static ProbeResult Fail(string detail) => new(false, detail);
}
