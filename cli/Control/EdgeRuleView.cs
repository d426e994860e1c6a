namespace Replica.Cli.Control;

/// <summary>An edge fault rule as the state shows it: the rule as JSON text, how often it has acted, when it was added.</summary>
internal sealed record EdgeRuleView(string? Id, string Rule, long Injected, DateTimeOffset AddedAt);
