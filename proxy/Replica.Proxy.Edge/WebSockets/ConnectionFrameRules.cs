using Replica.Proxy.Edge.Faults;
using Replica.Proxy.Edge.Faults.Actions;
using Replica.Proxy.Edge.Faults.Matching;

namespace Replica.Proxy.Edge.WebSockets;

/// <summary>
/// The frame rules that match one WebSocket connection's handshake, for one <see cref="RuleSnapshot"/>. The handshake
/// never changes, so the match is computed once per rule-set change rather than once per message.
/// </summary>
internal sealed class ConnectionFrameRules
{
    public ConnectionFrameRules(RuleSnapshot snapshot, RequestFacts handshake)
    {
        Snapshot = snapshot;
        Rules = snapshot.Frame
            .Where(r => r.Rule.Match.Matches(handshake))
            .Select(r => (r, (FrameFaultAction)r.Rule.Action))
            .ToArray();
    }

    public RuleSnapshot Snapshot { get; }

    /// <summary>In the order the rules were added; empty when no frame rule matches the connection.</summary>
    public (InstalledRule Rule, FrameFaultAction Action)[] Rules { get; }
}
