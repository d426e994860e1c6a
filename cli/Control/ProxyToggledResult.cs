namespace Replica.Cli.Control;

/// <summary>A dependency's proxy enabled or disabled, and whether it now is enabled.</summary>
internal sealed record ProxyToggledResult(string Verb, string Dependency, bool Enabled);
