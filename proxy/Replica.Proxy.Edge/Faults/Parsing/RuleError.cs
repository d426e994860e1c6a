namespace Replica.Proxy.Edge.Faults.Parsing;

/// <summary>One problem with rule input: the field's path (e.g. <c>action.delay.ms</c>) and what was expected.</summary>
public sealed record RuleError(string Field, string Message)
{
    public override string ToString() => Field.Length == 0 ? Message : $"{Field}: {Message}";
}
