namespace Replica.Proxy.Edge.Faults;

/// <summary>What a rule's times count from.</summary>
public enum ClockOrigin
{
    /// <summary>The moment the rule was added.</summary>
    Rule,
    /// <summary>The moment the proxy started.</summary>
    Proxy,
}
