namespace Replica.Cli.Control;

/// <summary>Edge fault rules added, by id.</summary>
internal sealed record RulesAddedResult(string Verb, IReadOnlyList<string?> Rules);
