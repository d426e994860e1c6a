namespace Replica.Proxy.Edge.Faults.Matching;

/// <summary>A request header that must be present (<see cref="Value"/> null) or equal <see cref="Value"/> (ordinal).</summary>
public sealed record HeaderMatch(string Name, string? Value);
