namespace Replica.Cli.Control;

/// <summary>One service whose settings a `set` changed: its settings now, whether it was restarted, its status after.</summary>
internal sealed record ServiceSettingsChange(string Service, IReadOnlyDictionary<string, string> Settings, bool Restarted, string Status);
