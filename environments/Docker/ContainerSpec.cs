namespace Replica.Environments.Docker;

/// <summary>
/// What to run: the immutable input of <see cref="DockerClient.CreateContainerAsync"/> and
/// <see cref="DockerContainer.StartAsync"/>. Every port in <see cref="Ports"/> is published on 127.0.0.1 (a random
/// host port unless <see cref="HostPorts"/> fixes it); nothing is ever published on another address.
/// </summary>
public sealed record ContainerSpec(string Image)
{
    /// <summary>A container name; null lets the engine choose one (names must be unique per engine).</summary>
    public string? Name { get; init; }

    /// <summary>Replaces the image's CMD; null keeps it.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Replaces the image's ENTRYPOINT; null keeps it.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Labels; the cleanup contract is <see cref="ReplicaLabels.ForOwner"/>.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Container TCP ports to publish on 127.0.0.1 host ports.</summary>
    public IReadOnlyList<int> Ports { get; init; } = [];

    /// <summary>
    /// Fixed 127.0.0.1 host ports for some of <see cref="Ports"/> (container port → host port); the others get
    /// random ones. A fixed port stays the same across stop and start, where a random one changes.
    /// </summary>
    public IReadOnlyDictionary<int, int> HostPorts { get; init; } = new Dictionary<int, int>();

    /// <summary>Networks to join, each with the aliases other containers reach this one by.</summary>
    public IReadOnlyList<NetworkAttachment> Networks { get; init; } = [];

    /// <summary>Replaces the image's HEALTHCHECK; null keeps it.</summary>
    public HealthcheckSpec? Healthcheck { get; init; }

    public string? User { get; init; }

    public string? WorkingDirectory { get; init; }
}
