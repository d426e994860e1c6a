namespace Replica.Environments.State;

/// <summary>One service-to-dependency connection: the address the dependent was given, and what it leads to.</summary>
public sealed record DependencyRecord(string Name, string Dependent, string Dependency, string Address, string Upstream, bool Proxied);
