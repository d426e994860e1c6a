namespace Replica.Chaos.Scenarios;

/// <summary>The staging incident a scenario reproduces: a title, where it was seen (a log, an issue), and what happened.</summary>
public sealed record ScenarioIncident(string Title, string? Link, string? Summary);
