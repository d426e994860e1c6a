namespace Replica.Environments.Docker;

/// <summary>A file or directory on the host and the path it takes inside a build context ("" = the root).</summary>
public sealed record BuildContextSource(string HostPath, string ContextPath);
