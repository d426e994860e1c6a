using System.Text;

namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>
/// Closes the WebSocket with a real close frame when the trigger fires: the client receives <see cref="Code"/> and
/// <see cref="Reason"/> as if the server closed; the upstream receives the same close, as if the client left.
/// </summary>
/// <param name="Direction">Which frames the trigger counts or matches.</param>
public sealed record CloseAction(int Code, string Reason, FrameDirection Direction, FrameTrigger When) : FrameFaultAction(Direction)
{
    public override string Kind => "close";

    internal override IEnumerable<Parsing.RuleError> Validate()
    {
        var errors = new List<Parsing.RuleError>();
        if (Code is < 1000 or > 4999)
        {
            errors.Add(new("code", "must be between 1000 and 4999"));
        }
        else if (Code is 1004 or 1005 or 1006 or 1015)
        {
            errors.Add(new("code", $"{Code} is reserved and may not be sent in a close frame"));
        }
        if (Encoding.UTF8.GetByteCount(Reason) > 123)
        {
            errors.Add(new("reason", "must be at most 123 bytes in UTF-8 (a close frame carries at most 125 bytes)"));
        }
        errors.AddRange(When.Validate());
        return errors;
    }
}
