namespace Replica.Cli.Commands;

/// <summary>What `replica lint --json` prints for a scenario that loads: what it holds, and its warnings.</summary>
internal sealed record LintSuccess(
    bool Valid,
    string Scenario,
    string File,
    string Compose,
    IReadOnlyList<string> Variants,
    int Steps,
    IReadOnlyList<string> Probes,
    int Services,
    int Dependencies,
    IReadOnlyList<LintError> Warnings);
