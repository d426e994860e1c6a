using System.Text.Json;
using System.Text.Json.Nodes;

namespace Replica.Proxy.Edge.Faults.Matching;

/// <summary>
/// A predicate on a WebSocket message's JSON: every dotted path (e.g. <c>type</c>, <c>payload.status</c>) must hold
/// a value equal to the expected one. An empty match accepts every data message; a message that is not JSON
/// matches only the empty match.
/// </summary>
public sealed record FrameMatch(IReadOnlyList<KeyValuePair<string, JsonElement>> Fields)
{
    public static FrameMatch All { get; } = new(Array.Empty<KeyValuePair<string, JsonElement>>());

    /// <summary>Builds a match on one field, e.g. <c>FrameMatch.Field("type", "agent_completed")</c>.</summary>
    public static FrameMatch Field(string path, JsonNode? value)
    {
        using var document = JsonDocument.Parse(value?.ToJsonString() ?? "null");
        return new([new(path, document.RootElement.Clone())]);
    }

    /// <summary>What is wrong with the paths, each with its field as in the rule JSON (under <paramref name="field"/>).</summary>
    internal IEnumerable<Parsing.RuleError> Validate(string field)
        => Fields.Where(f => f.Key.Length == 0 || f.Key.Split('.').Any(s => s.Length == 0))
            .Select(f => new Parsing.RuleError($"{field}.{f.Key}", "must be a dotted path to a JSON field, such as type or payload.status"));

    // The dotted paths split once, not per message; keyed by the list they came from, as `with` may replace Fields.
    // One reference (read and written whole), since connections on several threads share a rule's match.
    private Tuple<IReadOnlyList<KeyValuePair<string, JsonElement>>, string[][]>? _paths;

    internal bool Matches(WebSocketPayload message)
    {
        if (Fields.Count == 0)
        {
            return true;
        }
        var split = Volatile.Read(ref _paths);
        if (split is null || !ReferenceEquals(split.Item1, Fields))
        {
            split = Tuple.Create(Fields, Fields.Select(f => f.Key.Split('.')).ToArray());
            Volatile.Write(ref _paths, split);
        }
        var root = message.Json;
        if (root is not { } json)
        {
            return false;
        }
        for (var i = 0; i < Fields.Count; i++)
        {
            var expected = Fields[i].Value;
            var current = json;
            foreach (var segment in split.Item2[i])
            {
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment, out current))
                {
                    return false;
                }
            }
            if (!JsonElement.DeepEquals(current, expected))
            {
                return false;
            }
        }
        return true;
    }

    public bool Equals(FrameMatch? other)
        => other is not null && other.Fields.Count == Fields.Count
           && Fields.Zip(other.Fields).All(p => p.First.Key == p.Second.Key && JsonElement.DeepEquals(p.First.Value, p.Second.Value));

    public override int GetHashCode() => Fields.Count;
}
