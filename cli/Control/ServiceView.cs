namespace Replica.Cli.Control;

/// <summary>A service as the state shows it: kind and status in lower case, its last health check, settings and last log lines.</summary>
internal sealed record ServiceView(
    string Name, string Kind, string Status, string? Health, string? Endpoint, int? Pid, string? Container,
    IReadOnlyDictionary<string, string> Settings, IReadOnlyList<string> Log);
