namespace Replica.Bench.Staging;

/// <summary>One benchmark client: milliseconds to the welcome frame and for its agent run, or why it failed.</summary>
internal sealed record ClientRunResult(double Welcome, double Run, string? Error);
