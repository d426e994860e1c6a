using Replica.Proxy.Edge.Faults.Parsing;

namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>What a rule does when it fires. One file per action; <see cref="Kind"/> is its name in the rule JSON.</summary>
public abstract record FaultAction
{
    public abstract string Kind { get; }

    /// <summary>What is wrong with the action's values, each with its field as in the rule JSON (relative to the action's body).</summary>
    internal virtual IEnumerable<RuleError> Validate() => [];

    private protected static IEnumerable<RuleError> ValidateTime(string field, TimeSpan value)
        => value < TimeSpan.Zero || value > FaultLimits.MaxTime ? [new RuleError(field, FaultLimits.TimeRange)] : [];
}
