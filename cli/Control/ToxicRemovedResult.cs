namespace Replica.Cli.Control;

/// <summary>A toxic removed from a dependency's proxy, by name.</summary>
internal sealed record ToxicRemovedResult(string Verb, string Dependency, string Toxic);
