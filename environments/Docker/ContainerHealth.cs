namespace Replica.Environments.Docker;

/// <summary>
/// <c>State.Health</c>: <see cref="Status"/> is starting, healthy or unhealthy; <see cref="LastOutput"/> is what
/// the last check printed, for error messages.
/// </summary>
public sealed record ContainerHealth(string Status, int FailingStreak, string? LastOutput)
{
    public bool IsHealthy => Status == "healthy";
}
