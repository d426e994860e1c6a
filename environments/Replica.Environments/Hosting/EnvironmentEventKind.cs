namespace Replica.Environments.Hosting;

public enum EnvironmentEventKind
{
    Progress,
    Starting,
    Started,
    Healthy,
    Unhealthy,
    Stopping,
    Stopped,
    Killed,
    Paused,
    Resumed,
    Exited,
}
