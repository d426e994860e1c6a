namespace Replica.Environments.Docker;

/// <summary>A container's place on one network: its address and the names it answers to there.</summary>
public sealed record ContainerNetwork(string NetworkId, string IpAddress, IReadOnlyList<string> Aliases);
