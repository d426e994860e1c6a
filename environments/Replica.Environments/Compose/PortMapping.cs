namespace Replica.Environments.Compose;

/// <summary>
/// One `ports:` entry. <see cref="HostPort"/> null means a random host port (the default Replica wants);
/// <see cref="HostIp"/> null means 127.0.0.1 — Replica never publishes on other interfaces unless told to.
/// </summary>
public sealed record PortMapping(int ContainerPort, int? HostPort, string? HostIp, SourceLocation Location);
