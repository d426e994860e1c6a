namespace Replica.Environments.Docker;

/// <summary>A container's place on one network: its address, the network's gateway (the host's side of the bridge) and the names it answers to there.</summary>
public sealed record ContainerNetwork(string NetworkId, string IpAddress, string Gateway, IReadOnlyList<string> Aliases);
