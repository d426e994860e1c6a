using Replica.Environments.Compose;

namespace Replica.Environments.Errors;

/// <summary>One thing wrong with a configuration file, at a place in it.</summary>
public sealed record ConfigurationProblem(SourceLocation Location, string Message)
{
    public override string ToString() => $"{Location}: {Message}";
}
