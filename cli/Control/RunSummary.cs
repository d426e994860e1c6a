namespace Replica.Cli.Control;

/// <summary>
/// A run of `verify` or `chaos run` that has ended, as the dashboard shows it: which run of which variant, its outcome
/// (camelCase), how it failed, how long it took, and the tally of outcomes per variant so far.
/// </summary>
internal sealed record RunSummary(
    string Scenario, string Variant, int Index, int Runs, string Outcome, string? Failure, double Seconds,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Tally);
