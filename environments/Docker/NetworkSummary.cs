namespace Replica.Environments.Docker;

/// <summary>One row of <c>GET /networks</c>.</summary>
public sealed record NetworkSummary(string Id, string Name, IReadOnlyDictionary<string, string> Labels);
