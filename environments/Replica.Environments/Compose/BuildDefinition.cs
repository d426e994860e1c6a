namespace Replica.Environments.Compose;

/// <summary>Compose `build:`: a context directory (absolute) and a Dockerfile path relative to it.</summary>
public sealed record BuildDefinition(string Context, string Dockerfile);
