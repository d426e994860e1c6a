namespace Replica.Environments.Docker;

/// <summary>The engine's <c>State.Status</c>. A paused container is <see cref="Paused"/>, not running.</summary>
public enum ContainerStatus
{
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
}
