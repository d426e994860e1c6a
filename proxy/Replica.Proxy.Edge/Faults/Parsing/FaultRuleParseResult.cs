namespace Replica.Proxy.Edge.Faults.Parsing;

/// <summary>Either the rules read from the input, or every error found in it (then no rule at all).</summary>
public sealed record FaultRuleParseResult(IReadOnlyList<FaultRule> Rules, IReadOnlyList<RuleError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}
