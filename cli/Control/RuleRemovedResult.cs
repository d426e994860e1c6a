namespace Replica.Cli.Control;

/// <summary>An edge fault rule removed, by id.</summary>
internal sealed record RuleRemovedResult(string Verb, string Rule);
