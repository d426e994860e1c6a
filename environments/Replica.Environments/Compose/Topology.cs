namespace Replica.Environments.Compose;

/// <summary>
/// The services of one compose.yaml in start order (dependencies first), with the connections each service makes to the others (its dependencies).
/// Built by <see cref="ComposeLoader"/>; immutable.
/// </summary>
public sealed record Topology(
    string Name,
    string SourceFile,
    IReadOnlyList<ServiceDefinition> Services,
    IReadOnlyList<DependencyConnection> Dependencies,
    IReadOnlyList<EdgeRouteDefinition> EdgeRoutes)
{
    public ServiceDefinition this[string name] =>
        Services.FirstOrDefault(s => s.Name == name)
        ?? throw new KeyNotFoundException($"no service '{name}' in {SourceFile}");

    /// <summary>`x-replica.edge.tls`: whether (and with which certificate) the edge proxy serves https:// and wss://.</summary>
    public EdgeTlsDefinition EdgeTls { get; init; } = EdgeTlsDefinition.Off;

    /// <summary>`x-replica.network`: the network profile the file selects and the ones it declares.</summary>
    public NetworkDefinition Network { get; init; } = NetworkDefinition.Default;

    public bool Contains(string name) => Services.Any(s => s.Name == name);

    /// <summary>The directory compose.yaml sits in; relative paths in the file are relative to it.</summary>
    public string BaseDirectory => Path.GetDirectoryName(Path.GetFullPath(SourceFile))!;
}
