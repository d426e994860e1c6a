namespace Replica.Environments.Docker;

/// <summary>
/// What <c>GET /networks/{id}</c> says of a network: its IPv4 subnet and gateway. The gateway is the host's own
/// address on the bridge: a server listening there is reachable from every container on the network, and from
/// nowhere outside this machine.
/// </summary>
public sealed record NetworkInfo(string Id, string Name, string? Subnet, string? Gateway, IReadOnlyDictionary<string, string> Labels);
