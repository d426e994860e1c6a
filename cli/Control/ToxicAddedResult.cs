namespace Replica.Cli.Control;

/// <summary>A toxic added to a dependency's proxy, as it now is.</summary>
internal sealed record ToxicAddedResult(string Verb, string Dependency, ToxicView Toxic);
