namespace Replica.Cli.Commands;

/// <summary>What `replica lint --json` prints for a scenario that does not load.</summary>
internal sealed record LintFailure(bool Valid, IReadOnlyList<LintError> Errors);
