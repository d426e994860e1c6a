using Replica.Environments.Compose;

namespace Replica.Environments.Runtimes;

/// <summary>
/// Everything a runtime needs to start one service: its definition, and its settings with every reference to
/// another service already rewritten to the address this service must use (the dependency or a fault proxy).
/// </summary>
/// <param name="Environment">The compose `environment:` after rewriting.</param>
/// <param name="ProcessEnvironment">x-replica.environment after rewriting; only the process runtime applies it.</param>
public sealed record ServiceLaunch(
    ServiceDefinition Service,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyDictionary<string, string> ProcessEnvironment,
    string LogFile);
