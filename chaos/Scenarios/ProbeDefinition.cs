using Replica.Environments.Compose;

namespace Replica.Chaos.Scenarios;

/// <summary>
/// Something a scenario watches with. It starts where a `probe: NAME` step of the timeline says, or, when no step
/// names it, once the whole timeline has run.
/// </summary>
public abstract record ProbeDefinition(string Name, ProbeTarget Target, SourceLocation Location);
