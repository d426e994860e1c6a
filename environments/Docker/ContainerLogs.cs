namespace Replica.Environments.Docker;

/// <summary>A container's output so far, stdout and stderr apart.</summary>
public sealed record ContainerLogs(string Stdout, string Stderr);
