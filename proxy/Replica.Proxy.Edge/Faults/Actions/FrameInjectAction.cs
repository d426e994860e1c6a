namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>Sends a text message the peer never wrote, toward the client or the upstream, when the trigger fires.</summary>
/// <param name="Direction">ToClient or ToUpstream: where the message goes, and which frames the trigger counts.</param>
public sealed record FrameInjectAction(FrameDirection Direction, FrameTrigger When, string Text) : OneShotFrameAction(Direction, When)
{
    public static FaultActionKind<FrameInjectAction> Definition { get; } = new(
        "frameInject",
        [
            ActionJson.DirectionField(allowBoth: false),
            new("text", "string", "the message, sent as is (give `text` or `json`)"),
            new("json", "any JSON value", "the message, sent as its JSON text"),
            .. ActionJson.TriggerFields,
        ],
        Read,
        i => ActionJson.WithTrigger(new() { ["direction"] = ActionJson.DirectionName(i.Direction), ["text"] = i.Text }, i.When))
    {
        Examples = ["""{"direction":"toClient","json":{"type":"agent_error"},"afterFrames":1}""", """{"direction":"toUpstream","text":"hello","afterMs":500}"""],
        Effect = "sends a text message the peer never wrote, once per connection, when the trigger fires",
    };

    public override FaultActionKind Descriptor => Definition;

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

    internal override async Task FireAsync(InstalledRule rule, IFrameConnection connection, CancellationToken cancellationToken)
    {
        // Counted before it is sent, as every fault is: whoever receives the frame and then asks finds it counted.
        connection.RecordFault(rule, this, Direction, FrameMessage.Truncate(Text));
        await connection.SendTextAsync(Direction, Text, cancellationToken);
    }

    private static FrameInjectAction? Read(Parsing.JsonObjectReader f)
    {
        var direction = ActionJson.ReadDirection(f, allowBoth: false);
        var text = f.String("text");
        var json = f.Raw("json");
        if ((text is null) == (json is null))
        {
            f.Error("text", "give exactly one of text (a string sent as is) or json (any JSON value, sent as its text)");
        }
        var trigger = ActionJson.ReadTrigger(f);
        var payload = text ?? json?.GetRawText();
        return trigger is not null && payload is not null ? new FrameInjectAction(direction, trigger, payload) : null;
    }
}
