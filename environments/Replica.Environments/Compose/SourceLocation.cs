namespace Replica.Environments.Compose;

/// <summary>Where something was written: file, 1-based line and column. Printed as file:line:column.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
