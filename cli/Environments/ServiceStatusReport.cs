namespace Replica.Cli.Environments;

/// <summary>One row of `replica status`.</summary>
internal sealed record ServiceStatusReport(
    string Name,
    string Kind,
    string State,
    string Health,
    string? HealthDetail,
    string? Endpoint,
    IReadOnlyDictionary<string, string> Endpoints,
    int? Pid,
    string? ContainerId);
