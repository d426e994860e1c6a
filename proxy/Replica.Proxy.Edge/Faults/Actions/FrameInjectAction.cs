namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>Sends a text message the peer never wrote, toward the client or the upstream, when the trigger fires.</summary>
/// <param name="Direction">ToClient or ToUpstream: where the message goes, and which frames the trigger counts.</param>
public sealed record FrameInjectAction(FrameDirection Direction, FrameTrigger When, string Text) : FrameFaultAction(Direction)
{
    public override string Kind => "frameInject";

    internal override IEnumerable<Parsing.RuleError> Validate()
    {
        var errors = new List<Parsing.RuleError>();
        if (Direction == FrameDirection.Both)
        {
            errors.Add(new("direction", "must be one of 'toClient', 'toUpstream', not 'both'"));
        }
        errors.AddRange(When.Validate());
        return errors;
    }
}
