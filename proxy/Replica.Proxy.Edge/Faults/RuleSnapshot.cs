using Replica.Proxy.Edge.Faults.Actions;

namespace Replica.Proxy.Edge.Faults;

/// <summary>
/// One immutable state of the rule set: every rule in the order added, and the same rules split by what they act on,
/// so that a request walks only HTTP rules and a WebSocket only frame rules. A new instance on every change: its
/// reference tells a reader whether anything changed.
/// </summary>
internal sealed class RuleSnapshot
{
    public static RuleSnapshot Empty { get; } = new([]);

    public RuleSnapshot(InstalledRule[] all)
    {
        All = all;
        Http = all.Where(r => r.Rule.Action is HttpFaultAction).ToArray();
        Frame = all.Where(r => r.Rule.Action is FrameFaultAction).ToArray();
    }

    public InstalledRule[] All { get; }

    /// <summary>Rules whose action is an <see cref="HttpFaultAction"/>, in the order added.</summary>
    public InstalledRule[] Http { get; }

    /// <summary>Rules whose action is a <see cref="FrameFaultAction"/>, in the order added.</summary>
    public InstalledRule[] Frame { get; }
}
