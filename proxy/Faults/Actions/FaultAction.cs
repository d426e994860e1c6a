namespace Replica.Proxy.Faults.Actions;

/// <summary>What a rule does when it fires. One file per action; <see cref="Kind"/> is its name in the rule JSON.</summary>
public abstract record FaultAction
{
    public abstract string Kind { get; }
}
