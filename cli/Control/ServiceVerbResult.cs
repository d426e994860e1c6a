namespace Replica.Cli.Control;

/// <summary>What a lifecycle verb (restart, stop, start, kill, pause, resume) did: the service as it is after it, and how long it took.</summary>
internal sealed record ServiceVerbResult(string Verb, string Service, string Status, string? Endpoint, int? Pid, string? Container, double Seconds);
