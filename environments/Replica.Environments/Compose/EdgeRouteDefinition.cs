namespace Replica.Environments.Compose;

/// <summary>
/// One route of the edge proxy (top-level `x-replica.edge.routes`): requests whose path matches
/// <see cref="Path"/> (a YARP route pattern such as /auth/{**rest}) go to <see cref="Service"/>.
/// </summary>
public sealed record EdgeRouteDefinition(string Name, string Path, string Service, int ContainerPort, SourceLocation Location);
