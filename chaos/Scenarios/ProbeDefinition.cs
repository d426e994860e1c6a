using Replica.Environments.Topology;

namespace Replica.Chaos.Scenarios;

/// <summary>
/// Something a scenario watches with: it starts at <see cref="At"/>, or once every timeline step scheduled before it
/// has finished (a restart that waits for health), whichever is later.
/// </summary>
public abstract record ProbeDefinition(string Name, TimeSpan At, ProbeTarget Target, SourceLocation Location);
