namespace Replica.Cli.Control;

/// <summary>What a `set` did: the services it changed, the ones whose settings were already so, and how long it took.</summary>
internal sealed record SettingsResult(string Verb, IReadOnlyList<ServiceSettingsChange> Changed, IReadOnlyList<string> Unchanged, double Seconds);
