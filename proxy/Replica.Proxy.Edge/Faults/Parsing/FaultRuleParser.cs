using System.Text.Json;
using Replica.Proxy.Edge.Faults.Actions;
using Replica.Proxy.Edge.Faults.Matching;

namespace Replica.Proxy.Edge.Faults.Parsing;

/// <summary>
/// Turns the rule JSON (documented in proxy/Replica.Proxy.Edge/RULES.md) into <see cref="FaultRule"/> values. Used by the admin API and
/// by scenario files (YAML converted to the same JSON). Returns every error with its field path; never a partial rule.
/// The rule's own fields are read here; each action's body is read by its <see cref="FaultActionKind"/>, found by name
/// in a <see cref="FaultActionRegistry"/>.
/// </summary>
public static class FaultRuleParser
{
    /// <summary>Parses one rule object, or an array of rule objects (all valid, or none returned).</summary>
    /// <param name="actions">The actions the rules may use; null: <see cref="FaultActionRegistry.BuiltIn"/>.</param>
    public static FaultRuleParseResult Parse(JsonElement json, FaultActionRegistry? actions = null)
    {
        actions ??= FaultActionRegistry.BuiltIn;
        var errors = new List<RuleError>();
        var rules = new List<FaultRule>();
        if (json.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in json.EnumerateArray())
            {
                if (ParseRule(item, $"[{index}]", actions, errors) is { } rule)
                {
                    rules.Add(rule);
                }
                index++;
            }
            var duplicate = rules.Where(r => r.Id is not null).GroupBy(r => r.Id).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                errors.Add(new RuleError("id", $"'{duplicate.Key}' is used by more than one rule"));
            }
        }
        else if (ParseRule(json, "", actions, errors) is { } rule)
        {
            rules.Add(rule);
        }
        return errors.Count > 0 ? new([], errors) : new(rules, []);
    }

    /// <summary>Parses JSON text; malformed JSON is one error naming where it broke.</summary>
    public static FaultRuleParseResult Parse(string json, FaultActionRegistry? actions = null)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Parse(document.RootElement, actions);
        }
        catch (JsonException ex)
        {
            return new([], [new RuleError("", $"not valid JSON: {ex.Message}")]);
        }
    }

    private static FaultRule? ParseRule(JsonElement json, string path, FaultActionRegistry actions, List<RuleError> errors)
    {
        var errorsBefore = errors.Count;
        var rule = JsonObjectReader.Open(json, path, errors);
        if (rule is null)
        {
            return null;
        }
        var id = rule.String("id");
        if (id is not null && !FaultRule.IsValidId(id))
        {
            rule.Error("id", FaultRule.IdRule);
        }
        var match = rule.Object("match") is { } m ? ParseMatch(m) : RequestMatch.Any;
        var probability = rule.Number("probability", 0, 1) ?? 1;
        var window = rule.Object("window") is { } w ? ParseWindow(w) : FaultWindow.Always;
        var action = rule.Object("action", required: true) is { } a ? ParseAction(a, actions) : null;
        rule.RejectUnknown("id, match, probability, window, action");
        if (errors.Count > errorsBefore || action is null)
        {
            return null;
        }
        // The checks of values that hold whatever their source (C# or JSON), e.g. header values and close codes.
        var parsed = new FaultRule(id, match, probability, window, action);
        var invalid = parsed.Validate();
        foreach (var error in invalid)
        {
            rule.Error(error.Field, error.Message);
        }
        return invalid.Count > 0 ? null : parsed;
    }

    private static RequestMatch ParseMatch(JsonObjectReader m)
    {
        var route = m.String("route");
        PathGlob? glob = null;
        if (m.String("path") is { } pattern)
        {
            glob = PathGlob.TryParse(pattern, out var error);
            if (glob is null)
            {
                m.Error("path", $"invalid glob '{pattern}': {error}");
            }
        }
        var method = m.String("method");
        if (method is not null && (method.Length == 0 || !method.All(char.IsAsciiLetter)))
        {
            m.Error("method", $"must be an HTTP method such as GET or POST, not '{method}'");
        }
        List<HeaderMatch>? headers = null;
        if (m.Object("headers") is { } h)
        {
            headers = [];
            foreach (var property in h.Properties())
            {
                var value = h.Raw(property.Name);
                if (value is null)
                {
                    headers.Add(new HeaderMatch(property.Name, null));
                }
                else if (value.Value.ValueKind == JsonValueKind.String)
                {
                    var text = value.Value.GetString()!;
                    headers.Add(new HeaderMatch(property.Name, text == "*" ? null : text));
                }
                else
                {
                    h.Error(property.Name, $"must be a string (\"*\" or null: the header is present), not {JsonObjectReader.Describe(value.Value)}");
                }
            }
        }
        var websocket = m.Bool("websocket");
        m.RejectUnknown("route, path, method, headers, websocket");
        return new RequestMatch(route, glob, method?.ToUpperInvariant(), headers, websocket);
    }

    private static FaultWindow ParseWindow(JsonObjectReader w)
    {
        var after = w.Milliseconds("afterMs") ?? TimeSpan.Zero;
        var duration = w.Milliseconds("forMs");
        var from = ActionJson.ReadOrigin(w);
        w.RejectUnknown("afterMs, forMs, from");
        return new FaultWindow(after, duration, from);
    }

    private static FaultAction? ParseAction(JsonObjectReader a, FaultActionRegistry actions)
    {
        var names = a.Properties().Select(p => p.Name).ToList();
        if (names.Count != 1)
        {
            a.Error("", names.Count == 0
                ? $"must name one action: one of {actions.Names}"
                : $"must name exactly one action, found {string.Join(", ", names)}");
            return null;
        }
        var name = names[0];
        if (actions.Find(name) is not { } kind)
        {
            a.Error(name, $"unknown action '{name}'; expected one of {actions.Names}");
            return null;
        }
        return a.Object(name, required: true) is { } body ? kind.Read(body) : null;
    }
}
