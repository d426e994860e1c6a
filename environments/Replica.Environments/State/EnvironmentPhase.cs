namespace Replica.Environments.State;

public enum EnvironmentPhase
{
    Starting,
    Up,
    Failed,
    Stopping,
}
