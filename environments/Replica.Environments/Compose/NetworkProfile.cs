namespace Replica.Environments.Compose;

/// <summary>
/// A named shape for the environment's network: <see cref="Clients"/> is the path between clients and the edge
/// proxy (every connect, TLS handshake, request and WebSocket frame crosses it), <see cref="Dependencies"/> the path
/// on every dependency (each service's connections to Redis, PostgreSQL, another service).
/// </summary>
public sealed record NetworkProfile(string Name, NetworkPath Clients, NetworkPath Dependencies, string Description);
