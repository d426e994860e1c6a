namespace Replica.Environments.Compose;

/// <summary>
/// A connection one service makes to another, found where the dependent's environment names the dependency as
/// `host:port` (e.g. REDIS_URL=redis://redis:6379): a dependency of the dependent. Every dependency can get a fault
/// proxy in between.
/// </summary>
/// <param name="Name">The name the dependency's TCP proxy gets: dependent_dependency (Toxiproxy's naming habit), with
/// _port appended when the dependent reaches the dependency on more than one port.</param>
public sealed record DependencyConnection(string Name, string Dependent, string Dependency, int ContainerPort, IReadOnlyList<string> Variables)
{
    public override string ToString() => $"{Dependent} -> {Dependency}:{ContainerPort}";
}
