using System.Text.Json.Nodes;
using Replica.Proxy.Edge.Faults.Actions;
using Replica.Proxy.Edge.Faults.Matching;

namespace Replica.Proxy.Edge.Faults.Parsing;

/// <summary>
/// Writes a rule in the JSON shape <see cref="FaultRuleParser"/> reads: parse(write(rule)) equals rule. The action's
/// body is written by its own kind (<see cref="FaultAction.Descriptor"/>), so every action has a JSON form.
/// </summary>
public static class FaultRuleWriter
{
    public static JsonObject Write(FaultRule rule)
    {
        var json = new JsonObject();
        if (rule.Id is not null)
        {
            json["id"] = rule.Id;
        }
        var match = WriteMatch(rule.Match);
        if (match.Count > 0)
        {
            json["match"] = match;
        }
        if (rule.Probability < 1)
        {
            json["probability"] = rule.Probability;
        }
        if (!ReferenceEquals(rule.Window, FaultWindow.Always) && rule.Window != FaultWindow.Always)
        {
            var window = new JsonObject { ["afterMs"] = rule.Window.StartAfter.TotalMilliseconds };
            if (rule.Window.Duration is { } d)
            {
                window["forMs"] = d.TotalMilliseconds;
            }
            window["from"] = ActionJson.OriginName(rule.Window.From);
            json["window"] = window;
        }
        json["action"] = new JsonObject { [rule.Action.Kind] = rule.Action.Descriptor.Write(rule.Action) };
        return json;
    }

    private static JsonObject WriteMatch(RequestMatch m)
    {
        var json = new JsonObject();
        if (m.Route is not null)
        {
            json["route"] = m.Route;
        }
        if (m.Path is not null)
        {
            json["path"] = m.Path.Pattern;
        }
        if (m.Method is not null)
        {
            json["method"] = m.Method;
        }
        if (m.Headers is { Count: > 0 })
        {
            var headers = new JsonObject();
            foreach (var h in m.Headers)
            {
                headers[h.Name] = h.Value ?? "*";
            }
            json["headers"] = headers;
        }
        if (m.WebSocket is { } ws)
        {
            json["websocket"] = ws;
        }
        return json;
    }
}
