namespace Replica.Environments.Compose;

/// <summary>One depends_on entry: the service waits for <see cref="Service"/> to meet <see cref="Condition"/>.</summary>
public sealed record ServiceDependency(string Service, DependencyCondition Condition, SourceLocation Location);
