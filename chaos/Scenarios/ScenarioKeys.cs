namespace Replica.Chaos.Scenarios;

/// <summary>The keys a scenario file may use, level by level (chaos/scenarios/scenario.schema.json says the same for editors).</summary>
internal static class ScenarioKeys
{
    public static readonly HashSet<string> Top = ["name", "description", "incident", "compose", "runs", "network", "settings", "auth", "symptom", "variants", "timeline", "probes", "sweeps"];
    public static readonly HashSet<string> Incident = ["title", "link", "summary", "seen", "tried", "why_it_failed", "fix"];
    public static readonly HashSet<string> Auth = ["method", "path", "headers", "body", "token_field", "via"];
    public static readonly HashSet<string> Symptom = ["websocket_close", "http", "silence_after"];
    public static readonly HashSet<string> SymptomClose = ["code", "reason"];
    public static readonly HashSet<string> SymptomHttp = ["status", "body"];
    public static readonly HashSet<string> Variant = ["expect", "description", "settings"];
    public static readonly HashSet<string> StepTiming = ["name", "at", "after", "for", "wait"];
    public static readonly HashSet<string> TimelineStep = [.. StepTiming, .. Steps.StepKinds.Keys];
    public static readonly HashSet<string> Toxic = ["dependency", "edge", "type", "name", "stream", "toxicity", "attributes"];
    public static readonly HashSet<string> Down = ["dependency", "edge"];
    public static readonly HashSet<string> Probe = ["name", "via", "websocket", "http", "health"];
    public static readonly HashSet<string> ProbeKinds = ["websocket", "http", "health"];
    public static readonly HashSet<string> WebSocket = ["path", "token", "subprotocols", "send", "expect", "frame_timeout", "type_field"];
    public static readonly HashSet<string> Http = ["method", "path", "body", "token", "expect", "timeout"];
    public static readonly HashSet<string> HttpExpect = ["status", "json"];
    public static readonly HashSet<string> Health = ["path", "status", "within", "interval"];
}
