using System.Text.Json.Nodes;
using Replica.Proxy.Edge.Faults.Actions;
using Replica.Proxy.Edge.Faults.Matching;

namespace Replica.Proxy.Edge.Faults.Parsing;

/// <summary>Writes a rule in the JSON shape <see cref="FaultRuleParser"/> reads: parse(write(rule)) equals rule.</summary>
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
            window["from"] = Origin(rule.Window.From);
            json["window"] = window;
        }
        json["action"] = new JsonObject { [rule.Action.Kind] = WriteAction(rule.Action) };
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

    private static JsonObject WriteAction(FaultAction action)
    {
        switch (action)
        {
            case DelayAction d:
                return WriteDelay(d.Delay, []);
            case AbortAction a:
                var abort = new JsonObject { ["status"] = a.Status };
                if (a.Body is not null)
                {
                    abort["body"] = JsonNode.Parse(a.Body);
                }
                if (a.Headers is { Count: > 0 })
                {
                    abort["headers"] = new JsonObject(a.Headers.Select(h => new KeyValuePair<string, JsonNode?>(h.Key, h.Value)));
                }
                return abort;
            case ResetAction:
                return [];
            case ColdStartGateAction g:
                return new JsonObject
                {
                    ["readyAfterMs"] = g.ReadyAfter.TotalMilliseconds,
                    ["mode"] = g.Mode == GateMode.Hold ? "hold" : "reject",
                    ["from"] = Origin(g.From),
                    ["status"] = g.Status,
                };
            case BandwidthAction b:
                return new JsonObject { ["bytesPerSecond"] = b.BytesPerSecond };
            case FrameDelayAction fd:
                return WriteDelay(fd.Delay, WithFrame(Direction(fd.Direction), "frame", fd.Frame));
            case FrameDropAction drop:
                return WithFrame(Direction(drop.Direction), "frame", drop.Frame);
            case FrameInjectAction inject:
                var injectJson = Direction(inject.Direction);
                injectJson["text"] = inject.Text;
                return WithTrigger(injectJson, inject.When);
            case CloseAction close:
                var closeJson = new JsonObject { ["code"] = close.Code, ["reason"] = close.Reason, ["direction"] = DirectionName(close.Direction) };
                return WithTrigger(closeJson, close.When);
            default:
                throw new NotSupportedException($"no JSON form for action {action.GetType().Name}");
        }
    }

    private static JsonObject WriteDelay(DelayDistribution d, JsonObject json)
    {
        if (d.IsFixed)
        {
            json["ms"] = d.MinMs;
        }
        else if (d.IsPercentiles)
        {
            json["p50Ms"] = d.P50Ms;
            json["p95Ms"] = d.P95Ms;
            json["p99Ms"] = d.P99Ms;
            json["minMs"] = d.MinMs;
            json["maxMs"] = d.MaxMs;
        }
        else
        {
            json["minMs"] = d.MinMs;
            json["maxMs"] = d.MaxMs;
        }
        return json;
    }

    private static JsonObject WithTrigger(JsonObject json, FrameTrigger trigger)
    {
        if (trigger.AfterFrames is { } n)
        {
            json["afterFrames"] = n;
        }
        else if (trigger.After is { } t)
        {
            json["afterMs"] = t.TotalMilliseconds;
        }
        else if (trigger.OnFrame is { } frame)
        {
            // Written even when empty ({} matches every data message): the trigger must be there to parse back.
            json["onFrame"] = new JsonObject(frame.Fields.Select(f => new KeyValuePair<string, JsonNode?>(f.Key, JsonNode.Parse(f.Value.GetRawText()))));
        }
        return json;
    }

    private static JsonObject WithFrame(JsonObject json, string name, FrameMatch frame)
    {
        if (frame.Fields.Count > 0)
        {
            json[name] = new JsonObject(frame.Fields.Select(f => new KeyValuePair<string, JsonNode?>(f.Key, JsonNode.Parse(f.Value.GetRawText()))));
        }
        return json;
    }

    private static JsonObject Direction(FrameDirection direction) => new() { ["direction"] = DirectionName(direction) };

    private static string DirectionName(FrameDirection direction) => direction switch
    {
        FrameDirection.ToUpstream => "toUpstream",
        FrameDirection.Both => "both",
        _ => "toClient",
    };

    private static string Origin(ClockOrigin origin) => origin == ClockOrigin.Proxy ? "proxy" : "rule";
}
