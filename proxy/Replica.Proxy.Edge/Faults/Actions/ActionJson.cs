using System.Text.Json;
using System.Text.Json.Nodes;
using Replica.Proxy.Edge.Faults.Matching;
using Replica.Proxy.Edge.Faults.Parsing;

namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>
/// The JSON form of the values several actions share (delay distributions, directions, frame predicates, one-shot
/// triggers, clock origins): how each is read, written back and documented, so that every action that uses one
/// reads it the same way.
/// </summary>
internal static class ActionJson
{
    /// <summary>How a "…Ms" field's values are documented.</summary>
    public static string Milliseconds => $"milliseconds 0–{FaultLimits.MaxMs:0}";

    public static IReadOnlyList<FaultActionField> DelayFields { get; } =
    [
        new("ms", Milliseconds, "a fixed delay"),
        new("jitterMs", Milliseconds, "with `ms`: uniform between ms − jitterMs and ms + jitterMs"),
        new("minMs", Milliseconds, "with `maxMs`: uniform between the two; with percentiles: the shortest delay (default 0)"),
        new("maxMs", Milliseconds, "with percentiles: the longest delay (default p99 + (p99 − p95))"),
        new("p50Ms", Milliseconds, "with `p95Ms` and `p99Ms` (not decreasing): sampled from the piecewise-linear quantile function through (0,min) (.5,p50) (.95,p95) (.99,p99) (1,max)"),
        new("p95Ms", Milliseconds, "see `p50Ms`"),
        new("p99Ms", Milliseconds, "see `p50Ms`"),
    ];

    public static IReadOnlyList<FaultActionField> TriggerFields { get; } =
    [
        new("afterFrames", "whole number ≥ 0", "trigger: after that many data messages were delivered in `direction` (`both`: counted both ways)"),
        new("afterMs", Milliseconds, "trigger: that long after the later of the connection's opening and the rule's creation"),
        new("onFrame", "frame predicate", "trigger: after a message matching it is delivered in `direction`"),
    ];

    public static FaultActionField DirectionField(bool allowBoth) => allowBoth
        ? new("direction", "`toClient`, `toUpstream` or `both`", "which frames the action sees") { Default = "`toClient`" }
        : new("direction", "`toClient` or `toUpstream`", "where the message goes, and which frames the trigger counts") { Default = "`toClient`" };

    public static FaultActionField FrameField { get; } =
        new("frame", "frame predicate", "which data messages it acts on") { Default = "every one" };

    public static DelayDistribution? ReadDelay(JsonObjectReader d)
    {
        var ms = d.Milliseconds("ms")?.TotalMilliseconds;
        var jitter = d.Milliseconds("jitterMs")?.TotalMilliseconds;
        var min = d.Milliseconds("minMs")?.TotalMilliseconds;
        var max = d.Milliseconds("maxMs")?.TotalMilliseconds;
        var p50 = d.Milliseconds("p50Ms")?.TotalMilliseconds;
        var p95 = d.Milliseconds("p95Ms")?.TotalMilliseconds;
        var p99 = d.Milliseconds("p99Ms")?.TotalMilliseconds;
        var hasPercentiles = d.Has("p50Ms") || d.Has("p95Ms") || d.Has("p99Ms");
        if (d.Has("ms"))
        {
            if (d.Has("minMs") || d.Has("maxMs") || hasPercentiles)
            {
                d.Error("ms", "give either ms (with optional jitterMs), or minMs and maxMs, or p50Ms, p95Ms and p99Ms");
                return null;
            }
            if (ms is not { } fixedMs)
            {
                return null;
            }
            if (jitter is { } j && j > 0)
            {
                if (fixedMs + j > FaultLimits.MaxMs)
                {
                    d.Error("jitterMs", $"ms + jitterMs must be at most {FaultLimits.MaxMs:0} (24 h)");
                    return null;
                }
                return new DelayDistribution(Math.Max(0, fixedMs - j), fixedMs + j);
            }
            return d.Has("jitterMs") && jitter is null ? null : new DelayDistribution(fixedMs, fixedMs);
        }
        if (d.Has("jitterMs"))
        {
            d.Error("jitterMs", "needs ms: the delay the jitter is around");
            return null;
        }
        if (hasPercentiles)
        {
            foreach (var (name, value) in new[] { ("p50Ms", p50), ("p95Ms", p95), ("p99Ms", p99) })
            {
                if (!d.Has(name))
                {
                    d.Error(name, "is required with the other percentiles");
                }
                else if (value is null)
                {
                    return null;
                }
            }
            if (p50 is null || p95 is null || p99 is null)
            {
                return null;
            }
            if (p50 > p95 || p95 > p99)
            {
                d.Error("p95Ms", "percentiles must not decrease: p50Ms ≤ p95Ms ≤ p99Ms");
                return null;
            }
            var distribution = DelayDistribution.Percentiles(p50.Value, p95.Value, p99.Value, min ?? 0, max);
            if (distribution.MinMs > p50 || distribution.MaxMs < p99)
            {
                d.Error(distribution.MinMs > p50 ? "minMs" : "maxMs", "must satisfy minMs ≤ p50Ms and maxMs ≥ p99Ms");
                return null;
            }
            return distribution;
        }
        if (d.Has("minMs") || d.Has("maxMs"))
        {
            if (min is null || max is null)
            {
                if (!d.Has("minMs") || !d.Has("maxMs"))
                {
                    d.Error(d.Has("minMs") ? "maxMs" : "minMs", "is required: a uniform delay needs both minMs and maxMs");
                }
                return null;
            }
            if (min > max)
            {
                d.Error("maxMs", "must be ≥ minMs");
                return null;
            }
            return new DelayDistribution(min.Value, max.Value);
        }
        d.Error("ms", "is required (or minMs and maxMs, or p50Ms, p95Ms and p99Ms)");
        return null;
    }

    public static JsonObject WriteDelay(DelayDistribution d, JsonObject json)
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

    public static FrameDirection ReadDirection(JsonObjectReader f, bool allowBoth)
    {
        var choice = allowBoth ? f.Choice("direction", "toClient", "toUpstream", "both") : f.Choice("direction", "toClient", "toUpstream");
        return choice switch
        {
            "toUpstream" => FrameDirection.ToUpstream,
            "both" => FrameDirection.Both,
            _ => FrameDirection.ToClient,
        };
    }

    public static string DirectionName(FrameDirection direction) => direction switch
    {
        FrameDirection.ToUpstream => "toUpstream",
        FrameDirection.Both => "both",
        _ => "toClient",
    };

    public static JsonObject Direction(FrameDirection direction) => new() { ["direction"] = DirectionName(direction) };

    public static FrameMatch? ReadFrame(JsonObjectReader f, string name)
    {
        if (f.Object(name) is not { } frame)
        {
            return null;
        }
        var fields = new List<KeyValuePair<string, JsonElement>>();
        foreach (var property in frame.Properties())
        {
            if (property.Name.Length == 0 || property.Name.Split('.').Any(s => s.Length == 0))
            {
                frame.Error(property.Name, "must be a dotted path to a JSON field, such as type or payload.status");
                continue;
            }
            frame.Raw(property.Name);
            fields.Add(new(property.Name, property.Value.Clone()));
        }
        return new FrameMatch(fields);
    }

    /// <summary>Writes the predicate under <paramref name="name"/> unless it is empty (absent reads back as every message).</summary>
    public static JsonObject WithFrame(JsonObject json, string name, FrameMatch frame)
    {
        if (frame.Fields.Count > 0)
        {
            json[name] = FrameJson(frame);
        }
        return json;
    }

    public static FrameTrigger? ReadTrigger(JsonObjectReader f)
    {
        var given = new[] { "afterFrames", "afterMs", "onFrame" }.Where(f.Has).ToList();
        var afterFrames = f.Integer("afterFrames", 0);
        var afterMs = f.Milliseconds("afterMs");
        var onFrame = ReadFrame(f, "onFrame");
        if (given.Count != 1)
        {
            f.Error(given.Count == 0 ? "afterFrames" : given[1], "give exactly one trigger: afterFrames, afterMs or onFrame");
            return null;
        }
        return given[0] switch
        {
            "afterFrames" when afterFrames is { } n => FrameTrigger.AfterFrameCount(n),
            "afterMs" when afterMs is { } ms => FrameTrigger.AfterTime(ms),
            "onFrame" when onFrame is not null => FrameTrigger.When(onFrame),
            _ => null,
        };
    }

    public static JsonObject WithTrigger(JsonObject json, FrameTrigger trigger)
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
            json["onFrame"] = FrameJson(frame);
        }
        return json;
    }

    public static ClockOrigin ReadOrigin(JsonObjectReader r)
        => r.Choice("from", "rule", "proxy") == "proxy" ? ClockOrigin.Proxy : ClockOrigin.Rule;

    public static string OriginName(ClockOrigin origin) => origin == ClockOrigin.Proxy ? "proxy" : "rule";

    private static JsonObject FrameJson(FrameMatch frame)
        => new(frame.Fields.Select(f => new KeyValuePair<string, JsonNode?>(f.Key, JsonNode.Parse(f.Value.GetRawText()))));
}
