namespace Replica.Environments.Compose;

/// <summary>One service of compose.yaml, as Replica understands it. Immutable.</summary>
public sealed record ServiceDefinition(
    string Name,
    string? Image,
    BuildDefinition? Build,
    IReadOnlyList<string>? Command,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<PortMapping> Ports,
    IReadOnlyList<ServiceDependency> DependsOn,
    HealthcheckDefinition? Healthcheck,
    ReplicaServiceSettings Replica,
    SourceLocation Location)
{
    /// <summary>The port a bare `{port}` and health checks refer to.</summary>
    public int? PrimaryPort => Ports.Count > 0 ? Ports[0].ContainerPort : null;
}
