using System.Text;

namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>
/// Closes the WebSocket with a real close frame when the trigger fires: the client receives <see cref="Code"/> and
/// <see cref="Reason"/> as if the server closed; the upstream receives the same close, as if the client left.
/// </summary>
/// <param name="Direction">Which frames the trigger counts or matches.</param>
public sealed record CloseAction(int Code, string Reason, FrameDirection Direction, FrameTrigger When) : OneShotFrameAction(Direction, When)
{
    public const int MaxReasonBytes = 123;

    public static FaultActionKind<CloseAction> Definition { get; } = new(
        "close",
        [
            new("code", "whole number 1000–4999 but 1004, 1005, 1006 and 1015 (never sent on the wire)", "the close code both sides receive") { Required = true },
            new("reason", $"string of at most {MaxReasonBytes} bytes of UTF-8", "the close reason") { Default = "empty" },
            ActionJson.DirectionField(allowBoth: true) with { Meaning = "which frames the trigger counts or matches" },
            .. ActionJson.TriggerFields,
        ],
        Read,
        c => ActionJson.WithTrigger(new() { ["code"] = c.Code, ["reason"] = c.Reason, ["direction"] = ActionJson.DirectionName(c.Direction) }, c.When))
    {
        Examples = ["""{"code":1011,"reason":"Service not ready: redis","direction":"toUpstream","afterFrames":1}"""],
        Effect = "the client receives a real close frame with that code and reason, as if the server closed; the upstream receives the same close, "
                 + "as if the client left. After that every frame is discarded; when the client answers the close (or after 5 s) the connection ends",
    };

    public override FaultActionKind Descriptor => Definition;

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
        if (Encoding.UTF8.GetByteCount(Reason) > MaxReasonBytes)
        {
            errors.Add(new("reason", $"must be at most {MaxReasonBytes} bytes in UTF-8 (a close frame carries at most 125 bytes)"));
        }
        errors.AddRange(When.Validate());
        return errors;
    }

    internal override async Task FireAsync(InstalledRule rule, IFrameConnection connection, CancellationToken cancellationToken)
    {
        connection.RecordFault(rule, this, null, $"{Code} {Reason}");
        await connection.CloseAsync(Code, Reason, cancellationToken);
    }

    private static CloseAction? Read(Parsing.JsonObjectReader f)
    {
        // Reserved codes and the reason's length are checked by Validate, for rules from C# too.
        var code = f.Integer("code", 1000, 4999, required: true);
        var reason = f.String("reason") ?? "";
        var direction = ActionJson.ReadDirection(f, allowBoth: true);
        var trigger = ActionJson.ReadTrigger(f);
        return code is { } c && trigger is not null ? new CloseAction(c, reason, direction, trigger) : null;
    }
}
