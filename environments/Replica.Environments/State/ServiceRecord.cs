using Replica.Environments.Compose;
using Replica.Environments.Processes;

namespace Replica.Environments.State;

/// <summary>
/// What the state file remembers of one service: enough for status, logs and reaping. <paramref name="Status"/> is the
/// owner's last word on it (e.g. "stopped" after `replica stop`), so a service with no process is not taken for one
/// that never started.
/// </summary>
public sealed record ServiceRecord(
    string Name,
    string Kind,
    IReadOnlyDictionary<string, string> Endpoints,
    ProcessIdentity? Process,
    string? ContainerId,
    HealthCheckSpec HealthCheck,
    IReadOnlyDictionary<string, string> HealthCheckSettings,
    string LogFile,
    string? Status = null);
