namespace Replica.Cli.Commands;

/// <summary>One problem (or warning) `replica lint --json` reports, where it is when that is known.</summary>
internal sealed record LintError(string? File, int? Line, int? Column, string Message);
