using System.Text.Json;
using Replica.Proxy.Edge.Faults.Actions;
using Replica.Proxy.Edge.Faults.Matching;

namespace Replica.Proxy.Edge.Faults.Parsing;

/// <summary>
/// Turns the rule JSON (documented in proxy/RULES.md) into <see cref="FaultRule"/> values. Used by the admin API and
/// by scenario files (YAML converted to the same JSON). Returns every error with its field path; never a partial rule.
/// </summary>
public static class FaultRuleParser
{
    public const string ActionKinds = "delay, abort, reset, coldStart, bandwidth, frameDelay, frameDrop, frameInject, close";

    private static readonly HashSet<string> KnownKinds = new(ActionKinds.Split(", "), StringComparer.Ordinal);

    /// <summary>Parses one rule object, or an array of rule objects (all valid, or none returned).</summary>
    public static FaultRuleParseResult Parse(JsonElement json)
    {
        var errors = new List<RuleError>();
        var rules = new List<FaultRule>();
        if (json.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in json.EnumerateArray())
            {
                if (ParseRule(item, $"[{index}]", errors) is { } rule)
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
        else if (ParseRule(json, "", errors) is { } rule)
        {
            rules.Add(rule);
        }
        return errors.Count > 0 ? new([], errors) : new(rules, []);
    }

    /// <summary>Parses JSON text; malformed JSON is one error naming where it broke.</summary>
    public static FaultRuleParseResult Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Parse(document.RootElement);
        }
        catch (JsonException ex)
        {
            return new([], [new RuleError("", $"not valid JSON: {ex.Message}")]);
        }
    }

    private static FaultRule? ParseRule(JsonElement json, string path, List<RuleError> errors)
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
        var action = rule.Object("action", required: true) is { } a ? ParseAction(a) : null;
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
        var from = ParseOrigin(w);
        w.RejectUnknown("afterMs, forMs, from");
        return new FaultWindow(after, duration, from);
    }

    private static ClockOrigin ParseOrigin(JsonObjectReader r)
        => r.Choice("from", "rule", "proxy") == "proxy" ? ClockOrigin.Proxy : ClockOrigin.Rule;

    private static FaultAction? ParseAction(JsonObjectReader a)
    {
        var kinds = a.Properties().Select(p => p.Name).ToList();
        if (kinds.Count != 1)
        {
            a.Error("", kinds.Count == 0
                ? $"must name one action: one of {ActionKinds}"
                : $"must name exactly one action, found {string.Join(", ", kinds)}");
            return null;
        }
        var kind = kinds[0];
        if (!KnownKinds.Contains(kind))
        {
            a.Error(kind, $"unknown action '{kind}'; expected one of {ActionKinds}");
            return null;
        }
        var body = a.Object(kind, required: true);
        if (body is null)
        {
            return null;
        }
        FaultAction? action = kind switch
        {
            "delay" => ParseDelayDistribution(body) is { } d ? new DelayAction(d) : null,
            "abort" => ParseAbort(body),
            "reset" => new ResetAction(),
            "coldStart" => ParseGate(body),
            "bandwidth" => body.Number("bytesPerSecond", 1, required: true) is { } bps ? new BandwidthAction((long)Math.Min(bps, long.MaxValue / 2)) : null,
            "frameDelay" => ParseFrameDelay(body),
            "frameDrop" => new FrameDropAction(ParseDirection(body, allowBoth: true), ParseFrame(body, "frame") ?? FrameMatch.All),
            "frameInject" => ParseInject(body),
            _ => ParseClose(body),
        };
        body.RejectUnknown(ExpectedFields(kind));
        return action;
    }

    private static string ExpectedFields(string kind) => kind switch
    {
        "delay" => "ms, jitterMs, minMs, maxMs, p50Ms, p95Ms, p99Ms",
        "abort" => "status, body, headers",
        "reset" => "no fields",
        "coldStart" => "readyAfterMs, mode, from, status",
        "bandwidth" => "bytesPerSecond",
        "frameDelay" => "direction, frame, ms, jitterMs, minMs, maxMs, p50Ms, p95Ms, p99Ms",
        "frameDrop" => "direction, frame",
        "frameInject" => "direction, text, json, afterFrames, afterMs, onFrame",
        _ => "code, reason, direction, afterFrames, afterMs, onFrame",
    };

    private static DelayDistribution? ParseDelayDistribution(JsonObjectReader d)
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

    private static AbortAction? ParseAbort(JsonObjectReader a)
    {
        var status = a.Integer("status", 200, 599, required: true);
        var body = a.Raw("body") is { } b ? b.GetRawText() : null;
        var headers = ParseHeaderValues(a);
        return status is { } s ? new AbortAction(s, body, headers) : null;
    }

    private static List<KeyValuePair<string, string>>? ParseHeaderValues(JsonObjectReader a)
    {
        if (a.Object("headers") is not { } h)
        {
            return null;
        }
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var property in h.Properties())
        {
            if (h.String(property.Name, required: true) is { } value)
            {
                headers.Add(new(property.Name, value));
            }
        }
        return headers;
    }

    private static ColdStartGateAction? ParseGate(JsonObjectReader g)
    {
        var readyAfter = g.Milliseconds("readyAfterMs", required: true);
        var mode = g.Choice("mode", "reject", "hold") == "hold" ? GateMode.Hold : GateMode.Reject;
        var from = ParseOrigin(g);
        var status = g.Integer("status", 200, 599) ?? 503;
        return readyAfter is { } r ? new ColdStartGateAction(r, mode, from, status) : null;
    }

    private static FrameDelayAction? ParseFrameDelay(JsonObjectReader f)
    {
        var direction = ParseDirection(f, allowBoth: true);
        var frame = ParseFrame(f, "frame") ?? FrameMatch.All;
        return ParseDelayDistribution(f) is { } d ? new FrameDelayAction(direction, d, frame) : null;
    }

    private static FrameInjectAction? ParseInject(JsonObjectReader f)
    {
        var direction = ParseDirection(f, allowBoth: false);
        var text = f.String("text");
        var json = f.Raw("json");
        if ((text is null) == (json is null))
        {
            f.Error("text", "give exactly one of text (a string sent as is) or json (any JSON value, sent as its text)");
        }
        var trigger = ParseTrigger(f);
        var payload = text ?? json?.GetRawText();
        return trigger is not null && payload is not null ? new FrameInjectAction(direction, trigger, payload) : null;
    }

    private static CloseAction? ParseClose(JsonObjectReader f)
    {
        // Reserved codes and the reason's length are checked by CloseAction.Validate, for rules from C# too.
        var code = f.Integer("code", 1000, 4999, required: true);
        var reason = f.String("reason") ?? "";
        var direction = ParseDirection(f, allowBoth: true);
        var trigger = ParseTrigger(f);
        return code is { } c && trigger is not null ? new CloseAction(c, reason, direction, trigger) : null;
    }

    private static FrameTrigger? ParseTrigger(JsonObjectReader f)
    {
        var given = new[] { "afterFrames", "afterMs", "onFrame" }.Where(f.Has).ToList();
        var afterFrames = f.Integer("afterFrames", 0);
        var afterMs = f.Milliseconds("afterMs");
        var onFrame = ParseFrame(f, "onFrame");
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

    private static FrameDirection ParseDirection(JsonObjectReader f, bool allowBoth)
    {
        var choice = allowBoth ? f.Choice("direction", "toClient", "toUpstream", "both") : f.Choice("direction", "toClient", "toUpstream");
        return choice switch
        {
            "toUpstream" => FrameDirection.ToUpstream,
            "both" => FrameDirection.Both,
            _ => FrameDirection.ToClient,
        };
    }

    private static FrameMatch? ParseFrame(JsonObjectReader f, string name)
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
}
