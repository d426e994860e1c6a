using System.Text.Json.Nodes;
using Replica.Proxy.Edge.Faults.Parsing;

namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>
/// One kind of edge action, described once: its name in the rule JSON, its fields, how its body is read from and
/// written back to that JSON, examples and its effect (its row in RULES.md). Each action's file declares its kind as
/// a static <c>Definition</c>; <see cref="FaultActionRegistry"/> lists them, one line each. Validation belongs to the
/// action value itself (<see cref="FaultAction.Validate"/>), so that rules from C# and from JSON meet the same checks.
/// </summary>
public abstract class FaultActionKind
{
    private protected FaultActionKind(string name, Type actionType, IReadOnlyList<FaultActionField> fields)
    {
        Name = name;
        ActionType = actionType;
        Fields = fields;
        FieldList = fields.Count == 0 ? "no fields" : string.Join(", ", fields.Select(f => f.Name));
    }

    /// <summary>The action's name in the rule JSON: <c>{"action":{"NAME":{…}}}</c>.</summary>
    public string Name { get; }

    /// <summary>The <see cref="FaultAction"/> type this kind reads and writes.</summary>
    public Type ActionType { get; }

    /// <summary>True for actions on the frames of open WebSocket connections; false for actions on HTTP requests and handshakes.</summary>
    public bool ActsOnFrames => typeof(FrameFaultAction).IsAssignableFrom(ActionType);

    /// <summary>The fields of the action's body, in the order the docs and the unknown-field error list them.</summary>
    public IReadOnlyList<FaultActionField> Fields { get; }

    /// <summary>Bodies that parse (each is round-tripped by the tests), the first shown first in the docs.</summary>
    public required IReadOnlyList<string> Examples { get; init; }

    /// <summary>What the action does to the traffic, for the docs.</summary>
    public required string Effect { get; init; }

    /// <summary>The declared field names, as the unknown-field error lists them ("no fields" for none).</summary>
    public string FieldList { get; }

    /// <summary>
    /// Reads the action's body, recording every problem with its field path; null when there is one. A field the body
    /// has but the kind does not declare is an error; a field the reader reads without declaring it is a bug in the
    /// action's file, reported at once.
    /// </summary>
    internal FaultAction? Read(JsonObjectReader body)
    {
        var action = ReadBody(body);
        var undeclared = body.ReadNames.Where(n => !Fields.Any(f => f.Name == n)).ToList();
        if (undeclared.Count > 0)
        {
            throw new InvalidOperationException(
                $"action '{Name}' reads {string.Join(", ", undeclared)}, which its kind does not declare in Fields");
        }
        body.RejectUnknown(FieldList);
        return action;
    }

    private protected abstract FaultAction? ReadBody(JsonObjectReader body);

    /// <summary>The action's body in the JSON <see cref="Read"/> reads back to an equal value.</summary>
    internal abstract JsonObject Write(FaultAction action);

    public override string ToString() => Name;
}
