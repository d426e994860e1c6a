namespace Replica.Environments.Docker;

/// <summary>What <c>GET /containers/{id}/json</c> says, reduced to what a runtime acts on.</summary>
public sealed record ContainerInfo(
    string Id,
    string Name,
    string Image,
    ContainerStatus Status,
    long ExitCode,
    string? Error,
    DateTimeOffset? StartedAt,
    ContainerHealth? Health,
    bool Tty,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<int, int> HostPorts,
    IReadOnlyDictionary<string, ContainerNetwork> Networks)
{
    public bool IsRunning => Status == ContainerStatus.Running;
}
