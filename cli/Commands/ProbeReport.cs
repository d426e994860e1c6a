using Replica.Chaos.Probes;

namespace Replica.Cli.Commands;

/// <summary>What `replica probe --json` prints: the probe's observation and what it means for the scenario.</summary>
internal sealed record ProbeReport(string Scenario, string Environment, string Outcome, string Symptom, string? Failure, ProbeObservation Observation);
