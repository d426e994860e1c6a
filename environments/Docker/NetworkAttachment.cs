namespace Replica.Environments.Docker;

/// <summary>A network a container joins, and the DNS aliases it answers to on that network.</summary>
public sealed record NetworkAttachment(string Network, IReadOnlyList<string> Aliases);
