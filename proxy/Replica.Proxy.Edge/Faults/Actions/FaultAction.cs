using Replica.Proxy.Edge.Faults.Parsing;

namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>
/// What a rule does when it fires. One file per action: the action's value, what it does, its checks and its
/// <see cref="FaultActionKind"/> (name, fields, JSON form, docs), registered in <see cref="FaultActionRegistry"/>.
/// </summary>
public abstract record FaultAction
{
    /// <summary>The action's kind: its name in the rule JSON, its fields, how it is read and written, its docs.</summary>
    public abstract FaultActionKind Descriptor { get; }

    /// <summary>The action's name in the rule JSON.</summary>
    public string Kind => Descriptor.Name;

    /// <summary>
    /// What is wrong with the action's values, each with its field as in the rule JSON (relative to the action's body).
    /// The one check of a value, whether it was built in C# or read from JSON.
    /// </summary>
    internal virtual IEnumerable<RuleError> Validate() => [];

    private protected static IEnumerable<RuleError> ValidateTime(string field, TimeSpan value)
        => value < TimeSpan.Zero || value > FaultLimits.MaxTime ? [new RuleError(field, FaultLimits.TimeRange)] : [];
}
