using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Replica.Environments.Compose;
using Replica.Environments.Errors;
using Replica.Proxy.Edge.Faults.Parsing;
using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Toxics;
using YamlDotNet.RepresentationModel;

namespace Replica.Chaos.Scenarios;

/// <summary>
/// Reads a scenario file and checks it against the environment it runs in, before anything starts: unknown keys,
/// wrong types, unknown services and edges, toxics and edge rules their own parsers reject, and impossible timelines
/// (resuming a service that is not paused…) — every problem with file:line:column, all at once.
/// </summary>
public static partial class ScenarioLoader
{
    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex NamePattern();

    /// <summary>
    /// Reads the scenario at <paramref name="path"/> and the compose file it runs on: <paramref name="composeFile"/>
    /// when given (the CLI's <c>-f</c>), else the scenario's <c>compose:</c> (relative to the scenario), else the
    /// nearest compose.yaml above the scenario, else the nearest above the current directory.
    /// </summary>
    public static (Scenario Scenario, Topology Topology) Load(string path, string? composeFile = null)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new ReplicaException($"scenario file not found: {path}", exitCode: 2,
                hint: "scenarios live in chaos/scenarios/; `replica verify --list` names them");
        }
        var file = YamlFile.Load(fullPath);
        var reader = new YamlNodeReader(file.DisplayName);
        var root = file.Root;
        if (root is not YamlMappingNode top)
        {
            reader.Problem(root, "expected a mapping with name, incident, symptom, variants, timeline and probes");
            reader.ThrowIfAny();
            throw new InvalidOperationException();
        }
        reader.CheckKeys(top, "scenario", ScenarioKeys.Top);

        var declared = reader.Child(top, "compose") is { } c ? reader.String(c, "compose") : null;
        string? composePath;
        if (composeFile is not null)
        {
            composePath = Path.GetFullPath(composeFile);
            if (!File.Exists(composePath))
            {
                throw new ReplicaException($"compose file not found: {composeFile} (-f)", exitCode: 2);
            }
        }
        else
        {
            composePath = declared is not null
                ? Path.GetFullPath(Path.Combine(Path.GetDirectoryName(fullPath)!, declared))
                : FindCompose(Path.GetDirectoryName(fullPath)!) ?? FindCompose(System.Environment.CurrentDirectory);
        }
        if (composePath is null || !File.Exists(composePath))
        {
            reader.Problem(reader.Child(top, "compose") ?? top, composePath is null
                ? "compose: no compose.yaml above the scenario or the current directory; pass -f path/to/compose.yaml (or set compose: in the scenario)"
                : $"compose: no compose.yaml at {composePath}");
            reader.ThrowIfAny();
        }
        var topology = ComposeLoader.Load(composePath!);

        var name = Required(reader, top, "name", "scenario") is { } n ? reader.String(n, "name") ?? "" : "";
        if (name.Length > 0 && !NamePattern().IsMatch(name))
        {
            reader.Problem(reader.Child(top, "name")!, $"name: lower-case letters, digits and '-' only, found '{name}'");
        }
        var description = reader.Child(top, "description") is { } d ? reader.String(d, "description") : null;
        var incident = ReadIncident(reader, top);
        var runs = reader.Child(top, "runs") is { } r ? reader.Int(r, "runs", 1, 10000) ?? 20 : 20;
        var (network, networkLocation) = reader.Child(top, "network") is { } net ? ReadNetwork(reader, net, topology) : (null, null);
        var settings = reader.Child(top, "settings") is { } s ? ReadSettings(reader, s, "settings", topology) : new Dictionary<string, IReadOnlyDictionary<string, string>>();
        var symptom = ReadSymptom(reader, top);
        var auth = reader.Child(top, "auth") is { } a ? ReadAuth(reader, a, topology) : null;
        var variants = ReadVariants(reader, top, topology);
        var probes = ReadProbes(reader, top, topology, auth is not null);
        var warnings = new List<ConfigurationProblem>();
        var timeline = ReadTimeline(reader, top, topology, probes, warnings);
        reader.ThrowIfAny();

        var scenario = new Scenario(name, description, incident!, file.DisplayName, composePath!, runs, settings, symptom!, auth, variants, timeline, probes)
        {
            Network = network,
            NetworkLocation = networkLocation,
            Warnings = warnings,
        };
        return (scenario, topology);
    }

    /// <summary>`network: PROFILE`: one of the shipped profiles or of those the compose file declares.</summary>
    private static (string? Name, SourceLocation? Location) ReadNetwork(YamlNodeReader reader, YamlNode node, Topology topology)
    {
        if (reader.String(node, "network") is not { Length: > 0 } name)
        {
            return (null, null);
        }
        if (topology.Network.Find(name) is null)
        {
            reader.Problem(node, topology.Network.UnknownProfile(name, "network"));
            return (null, null);
        }
        return (name, reader.At(node));
    }

    private static string? FindCompose(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "compose.yaml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static YamlNode? Required(YamlNodeReader reader, YamlMappingNode map, string key, string path)
    {
        var node = reader.Child(map, key);
        if (node is null)
        {
            reader.Problem(map, $"{path}: '{key}' is required");
        }
        return node;
    }

    private static ScenarioIncident? ReadIncident(YamlNodeReader reader, YamlMappingNode top)
    {
        if (Required(reader, top, "incident", "scenario") is not { } node || reader.Mapping(node, "incident") is not { } map)
        {
            return null;
        }
        reader.CheckKeys(map, "incident", ScenarioKeys.Incident);
        var title = Required(reader, map, "title", "incident") is { } t ? reader.String(t, "incident.title") : null;
        var link = reader.Child(map, "link") is { } l ? reader.String(l, "incident.link") : null;
        var summary = reader.Child(map, "summary") is { } s ? reader.String(s, "incident.summary") : null;
        return new ScenarioIncident(title ?? "", link, summary);
    }

    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ReadSettings(
        YamlNodeReader reader, YamlNode node, string path, Topology topology)
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, string>>();
        if (reader.Mapping(node, path) is not { } map)
        {
            return result;
        }
        foreach (var (serviceNode, valuesNode) in map.Children)
        {
            var service = ((YamlScalarNode)serviceNode).Value ?? "";
            if (!topology.Contains(service))
            {
                reader.Problem(serviceNode, $"{path}: unknown service '{service}'{KeySuggestion.For(service, topology.Services.Select(x => x.Name))}");
                continue;
            }
            if (reader.Mapping(valuesNode, $"{path}.{service}") is not { } values)
            {
                continue;
            }
            var dict = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in values.Children)
            {
                var key = ((YamlScalarNode)k).Value ?? "";
                if (reader.String(v, $"{path}.{service}.{key}") is { } value)
                {
                    dict[key] = value;
                }
            }
            result[service] = dict;
        }
        return result;
    }

    private static TokenRequest? ReadAuth(YamlNodeReader reader, YamlNode node, Topology topology)
    {
        if (reader.Mapping(node, "auth") is not { } map)
        {
            return null;
        }
        reader.CheckKeys(map, "auth", ScenarioKeys.Auth);
        var path = Required(reader, map, "path", "auth") is { } p ? reader.String(p, "auth.path") ?? "/" : "/";
        if (!path.StartsWith('/'))
        {
            reader.Problem(reader.Child(map, "path")!, $"auth.path: expected a path starting with '/', found '{path}'");
        }
        var method = reader.Child(map, "method") is { } m ? (reader.String(m, "auth.method") ?? "POST").ToUpperInvariant() : "POST";
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (reader.Child(map, "headers") is { } h && reader.Mapping(h, "auth.headers") is { } hm)
        {
            foreach (var (k, v) in hm.Children)
            {
                var key = ((YamlScalarNode)k).Value ?? "";
                if (reader.String(v, $"auth.headers.{key}") is { } value)
                {
                    headers[key] = value;
                }
            }
        }
        var field = reader.Child(map, "token_field") is { } f ? reader.String(f, "auth.token_field") ?? "access_token" : "access_token";
        return new TokenRequest(method, path, headers, reader.Child(map, "body") is { } b ? YamlJson.Convert(b) : null, field,
            ReadVia(reader, map, "auth", topology));
    }

    private static ProbeTarget ReadVia(YamlNodeReader reader, YamlMappingNode map, string path, Topology topology)
    {
        if (reader.Child(map, "via") is not { } via || reader.String(via, path + ".via") is not { } text || text == "edge")
        {
            if (topology.EdgeRoutes.Count == 0)
            {
                reader.Problem(reader.Child(map, "via") ?? map, $"{path}: goes through the edge proxy, but {topology.SourceFile} declares none (x-replica.edge.routes); set via: SERVICE");
            }
            return ProbeTarget.Edge;
        }
        if (!topology.Contains(text))
        {
            reader.Problem(via, $"{path}.via: expected 'edge' or a service name, found '{text}'{KeySuggestion.For(text, topology.Services.Select(s => s.Name))}");
        }
        else if (topology[text].PrimaryPort is null)
        {
            reader.Problem(via, $"{path}.via: service '{text}' declares no ports");
        }
        return new ProbeTarget(text);
    }

    private static Symptom? ReadSymptom(YamlNodeReader reader, YamlMappingNode top)
    {
        if (Required(reader, top, "symptom", "scenario") is not { } node || reader.Mapping(node, "symptom") is not { } map)
        {
            return null;
        }
        reader.CheckKeys(map, "symptom", ScenarioKeys.Symptom);
        // x- keys are notes, not kinds; an unknown key is already reported by CheckKeys.
        var kinds = map.Children.Where(c => ScenarioKeys.Symptom.Contains((c.Key as YamlScalarNode)?.Value ?? "")).ToList();
        if (kinds.Count != 1)
        {
            if (kinds.Count > 1 || map.Children.All(c => ((c.Key as YamlScalarNode)?.Value ?? "").StartsWith("x-", StringComparison.Ordinal)))
            {
                reader.Problem(node, "symptom: give exactly one of websocket_close, http or silence_after");
            }
            return null;
        }
        var (keyNode, value) = kinds[0];
        switch (((YamlScalarNode)keyNode).Value)
        {
            case "websocket_close" when reader.Mapping(value, "symptom.websocket_close") is { } close:
                reader.CheckKeys(close, "symptom.websocket_close", ScenarioKeys.SymptomClose);
                var code = Required(reader, close, "code", "symptom.websocket_close") is { } cn ? reader.Int(cn, "symptom.websocket_close.code", 1000, 4999) : null;
                var reason = reader.Child(close, "reason") is { } rn ? reader.String(rn, "symptom.websocket_close.reason") : null;
                return new Symptom(SymptomKind.WebSocketClose, code, reason, null);
            case "http" when reader.Mapping(value, "symptom.http") is { } http:
                reader.CheckKeys(http, "symptom.http", ScenarioKeys.SymptomHttp);
                var status = Required(reader, http, "status", "symptom.http") is { } sn ? reader.Int(sn, "symptom.http.status", 100, 599) : null;
                var body = reader.Child(http, "body") is { } bn ? reader.String(bn, "symptom.http.body") : null;
                return new Symptom(SymptomKind.HttpStatus, status, body, null);
            case "silence_after":
                return new Symptom(SymptomKind.SilenceAfter, null, null, reader.StringOrList(value, "symptom.silence_after") ?? []);
            default:
                return null;
        }
    }

    private static IReadOnlyList<ScenarioVariant> ReadVariants(YamlNodeReader reader, YamlMappingNode top, Topology topology)
    {
        var variants = new List<ScenarioVariant>();
        if (Required(reader, top, "variants", "scenario") is not { } node || reader.Mapping(node, "variants") is not { } map)
        {
            return variants;
        }
        if (map.Children.Count == 0)
        {
            reader.Problem(node, "variants: give at least one variant (e.g. baseline, fixed)");
        }
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var name = ((YamlScalarNode)keyNode).Value ?? "";
            var path = $"variants.{name}";
            if (!NamePattern().IsMatch(name))
            {
                reader.Problem(keyNode, $"{path}: a variant name takes lower-case letters, digits and '-'");
            }
            if (reader.Mapping(valueNode, path) is not { } variant)
            {
                continue;
            }
            reader.CheckKeys(variant, path, ScenarioKeys.Variant);
            var expectation = VariantExpectation.Pass;
            if (Required(reader, variant, "expect", path) is { } e)
            {
                switch (reader.String(e, path + ".expect"))
                {
                    case "symptom": expectation = VariantExpectation.Symptom; break;
                    case "pass": expectation = VariantExpectation.Pass; break;
                    case { } other: reader.Problem(e, $"{path}.expect: expected symptom or pass, found '{other}'"); break;
                }
            }
            var description = reader.Child(variant, "description") is { } dn ? reader.String(dn, path + ".description") : null;
            var settings = reader.Child(variant, "settings") is { } sn ? ReadSettings(reader, sn, path + ".settings", topology) : new Dictionary<string, IReadOnlyDictionary<string, string>>();
            variants.Add(new ScenarioVariant(name, expectation, description, settings));
        }
        return variants;
    }

    private static IReadOnlyList<TimelineAction> ReadTimeline(YamlNodeReader reader, YamlMappingNode top, Topology topology, IReadOnlyList<ProbeDefinition> probes, List<ConfigurationProblem> warnings)
    {
        var actions = new List<TimelineAction>();
        if (reader.Child(top, "timeline") is not { } node)
        {
            return actions;
        }
        if (node is not YamlSequenceNode list)
        {
            reader.Problem(node, "timeline: expected a list of steps");
            return actions;
        }
        var named = new Dictionary<string, TimelineAction>();
        var removed = new HashSet<string>();
        var probed = new HashSet<string>();
        var ruleIds = new HashSet<string>();
        TimeSpan? lastAt = null;
        var i = 0;
        foreach (var item in list.Children)
        {
            var path = $"timeline[{i++}]";
            if (reader.Mapping(item, path) is not { } step)
            {
                continue;
            }
            reader.CheckKeys(step, path, ScenarioKeys.TimelineStep);
            var name = reader.Child(step, "name") is { } nameNode ? reader.String(nameNode, path + ".name") : null;
            if (name is not null && named.ContainsKey(name))
            {
                reader.Problem(reader.Child(step, "name")!, $"{path}.name: another step is called '{name}'");
            }
            TimeSpan? at = reader.Child(step, "at") is { } atNode ? reader.Duration(atNode, path + ".at") : null;
            var after = reader.Child(step, "after") is { } afterNode ? reader.Duration(afterNode, path + ".after") ?? TimeSpan.Zero : TimeSpan.Zero;
            if (at is not null && reader.Child(step, "after") is { } both)
            {
                reader.Problem(both, $"{path}: give 'at' (from the run's start) or 'after' (from the previous step), not both");
            }
            if (at is { } a && lastAt is { } previous && a < previous)
            {
                reader.Problem(reader.Child(step, "at")!, $"impossible timeline: {path} is at {a.TotalMilliseconds:0} ms, before the step at {previous.TotalMilliseconds:0} ms above it (steps run in order)");
            }
            lastAt = at ?? lastAt;
            TimeSpan? @for = reader.Child(step, "for") is { } forNode ? reader.Duration(forNode, path + ".for") : null;
            if (@for is { } f && f <= TimeSpan.Zero)
            {
                reader.Problem(reader.Child(step, "for")!, $"{path}.for: must be longer than 0");
            }
            var kinds = step.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!).Where(ScenarioKeys.TimelineActions.Contains).ToList();
            if (kinds.Count != 1)
            {
                reader.Problem(item, $"{path}: give exactly one of {string.Join(", ", ScenarioKeys.TimelineActions)}");
                continue;
            }
            var kind = kinds[0];
            var valueNode = reader.Child(step, kind)!;
            var location = reader.At(item);
            if (reader.Child(step, "wait") is { } waitNode && kind is not ("start" or "restart" or "await"))
            {
                reader.Problem(waitNode, $"{path}.wait: only start, restart and await wait");
            }
            if (@for is not null && kind is "remove" or "probe" or "await")
            {
                reader.Problem(reader.Child(step, "for")!, $"{path}.for: a {kind} step cannot be undone");
            }
            TimelineAction? action = null;
            switch (kind)
            {
                case "toxic":
                    if (ReadToxic(reader, valueNode, path + ".toxic", topology, warnings) is { } toxic)
                    {
                        action = new ToxicAction(name, at, after, @for, location, toxic.Edge, toxic.Json);
                    }
                    break;
                case "down":
                    string? edgeName;
                    if (valueNode is YamlMappingNode dm)
                    {
                        reader.CheckKeys(dm, path + ".down", ScenarioKeys.Down);
                        edgeName = DependencyKey(reader, dm, path + ".down", warnings) is { } dn ? reader.String(dn, path + ".down.dependency") : null;
                    }
                    else
                    {
                        edgeName = reader.String(valueNode, path + ".down");
                    }
                    if (edgeName is not null && CheckEdge(reader, valueNode, path + ".down", edgeName, topology))
                    {
                        action = new EdgeDownAction(name, at, after, @for, location, edgeName);
                    }
                    break;
                case "edge_rule":
                    if (topology.EdgeRoutes.Count == 0)
                    {
                        reader.Problem(valueNode, $"{path}.edge_rule: {topology.SourceFile} declares no edge proxy (x-replica.edge.routes)");
                    }
                    else if (ReadEdgeRule(reader, valueNode, path + ".edge_rule") is { } rule)
                    {
                        if (rule["id"] is JsonValue idValue && idValue.TryGetValue<string>(out var ruleId) && !ruleIds.Add(ruleId))
                        {
                            reader.Problem(YamlJson.Locate(valueNode, "id"), $"{path}.edge_rule.id: another edge_rule step above uses id '{ruleId}' (the edge proxy holds one rule per id)");
                        }
                        action = new EdgeRuleAction(name, at, after, @for, location, rule);
                    }
                    break;
                case "remove":
                    var target = reader.String(valueNode, path + ".remove");
                    if (target is null)
                    {
                        break;
                    }
                    if (!named.TryGetValue(target, out var undone))
                    {
                        reader.Problem(valueNode, $"impossible timeline: {path} removes '{target}', but no step above it has that name{KeySuggestion.For(target, named.Keys)}");
                    }
                    else if (undone is LifecycleAction or RemoveAction or ProbeAction)
                    {
                        reader.Problem(valueNode, $"{path}.remove: '{target}' is a {undone.Describe()} step; only toxic, down and edge_rule steps can be removed");
                    }
                    else if (undone.For is not null || !removed.Add(target))
                    {
                        reader.Problem(valueNode, $"impossible timeline: {path} removes '{target}', which is already undone by then");
                    }
                    action = new RemoveAction(name, at, after, location, target);
                    break;
                case "probe":
                    var probe = reader.String(valueNode, path + ".probe");
                    if (probe is null)
                    {
                        break;
                    }
                    if (probes.All(p => p.Name != probe))
                    {
                        reader.Problem(valueNode, $"{path}.probe: no probe called '{probe}'{KeySuggestion.For(probe, probes.Select(p => p.Name))}");
                    }
                    else if (!probed.Add(probe))
                    {
                        reader.Problem(valueNode, $"{path}.probe: probe '{probe}' is already started above");
                    }
                    action = new ProbeAction(name, at, after, location, probe);
                    break;
                default:
                    var service = reader.String(valueNode, $"{path}.{kind}");
                    if (service is null)
                    {
                        break;
                    }
                    if (!topology.Contains(service))
                    {
                        reader.Problem(valueNode, $"{path}.{kind}: unknown service '{service}'{KeySuggestion.For(service, topology.Services.Select(s => s.Name))}");
                        break;
                    }
                    var wait = ReadWait(reader, step, path);
                    if (kind == "await")
                    {
                        action = new AwaitAction(name, at, after, location, service, wait);
                        break;
                    }
                    var verb = Enum.Parse<LifecycleVerb>(kind, ignoreCase: true);
                    if (@for is not null && verb is not (LifecycleVerb.Pause or LifecycleVerb.Stop))
                    {
                        reader.Problem(reader.Child(step, "for")!, $"{path}.for: only pause and stop can be undone after a while (resume, start); drop 'for' or add a separate step");
                    }
                    action = new LifecycleAction(name, at, after, @for, location, service, verb, wait);
                    break;
            }
            if (action is not null)
            {
                actions.Add(action);
                if (name is not null)
                {
                    named.TryAdd(name, action);
                }
            }
        }
        CheckLifecycleOrder(reader, actions);
        return actions;
    }

    private static (string Edge, JsonObject Json)? ReadToxic(YamlNodeReader reader, YamlNode node, string path, Topology topology, List<ConfigurationProblem> warnings)
    {
        if (reader.Mapping(node, path) is not { } map)
        {
            return null;
        }
        reader.CheckKeys(map, path, ScenarioKeys.Toxic);
        var dependencyNode = DependencyKey(reader, map, path, warnings);
        var edge = dependencyNode is not null ? reader.String(dependencyNode, path + ".dependency") : null;
        if (edge is null || !CheckEdge(reader, dependencyNode!, path + ".dependency", edge, topology))
        {
            return null;
        }
        var json = (JsonObject)YamlJson.Convert(map)!;
        json.Remove("dependency");
        json.Remove("edge");
        try
        {
            using var document = JsonDocument.Parse(json.ToJsonString());
            Toxic.Validate(ToxicSpec.FromJson(document.RootElement));
        }
        catch (Exception ex) when (ex is ToxiproxyException or ArgumentException)
        {
            reader.Problem(node, $"{path}: {ex.Message}");
            return null;
        }
        return (edge, json);
    }

    private static JsonObject? ReadEdgeRule(YamlNodeReader reader, YamlNode node, string path)
    {
        if (YamlJson.Convert(node) is not JsonObject json)
        {
            reader.Problem(node, $"{path}: expected a rule (a mapping with at least 'action'; see proxy/RULES.md)");
            return null;
        }
        using var document = JsonDocument.Parse(json.ToJsonString());
        var parsed = FaultRuleParser.Parse(document.RootElement);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                reader.Problem(YamlJson.Locate(node, error.Field), $"{path}.{error.Field}: {error.Message}");
            }
            return null;
        }
        return json;
    }

    /// <summary>
    /// The node naming a service-to-dependency connection: `dependency:`, or its old name `edge:` (still read, reported
    /// as renamed: "edge" means only the edge proxy now). A problem when neither or both are given.
    /// </summary>
    private static YamlNode? DependencyKey(YamlNodeReader reader, YamlMappingNode map, string path, List<ConfigurationProblem> warnings)
    {
        var dependency = reader.Child(map, "dependency");
        var old = reader.Child(map, "edge");
        if (dependency is not null && old is not null)
        {
            reader.Problem(old, $"{path}: give 'dependency' only ('edge' is its old name)");
            return null;
        }
        if (old is not null)
        {
            warnings.Add(new ConfigurationProblem(reader.At(map.Children.Keys.First(k => (k as YamlScalarNode)?.Value == "edge")),
                $"{path}.edge is renamed {path}.dependency (the old key still works; 'edge' now means only the edge proxy)"));
            return old;
        }
        if (dependency is null)
        {
            reader.Problem(map, $"{path}: 'dependency' is required (e.g. backend_redis)");
        }
        return dependency;
    }

    private static ServiceWait ReadWait(YamlNodeReader reader, YamlMappingNode step, string path)
    {
        if (reader.Child(step, "wait") is not { } node)
        {
            return ServiceWait.Healthy;
        }
        switch (reader.String(node, path + ".wait"))
        {
            case "healthy": return ServiceWait.Healthy;
            case "listening": return ServiceWait.Listening;
            case "started": return ServiceWait.Started;
            case { } other:
                reader.Problem(node, $"{path}.wait: expected healthy, listening or started, found '{other}'");
                return ServiceWait.Healthy;
            default: return ServiceWait.Healthy;
        }
    }

    private static bool CheckEdge(YamlNodeReader reader, YamlNode node, string path, string edge, Topology topology)
    {
        if (topology.Edges.Any(e => e.Name == edge))
        {
            return true;
        }
        var names = topology.Edges.Select(e => e.Name).Order(StringComparer.Ordinal).ToList();
        reader.Problem(node, $"{path}: unknown dependency '{edge}'{KeySuggestion.For(edge, names)}; {topology.SourceFile} has {(names.Count == 0 ? "none" : string.Join(", ", names))}");
        return false;
    }

    /// <summary>
    /// Walks the timeline in order, tracking each service's state (a `for` undo counts as done by the next step
    /// that touches the service), so impossible steps — resuming a service that is not paused — are caught now.
    /// </summary>
    private static void CheckLifecycleOrder(YamlNodeReader reader, IReadOnlyList<TimelineAction> ordered)
    {
        var states = new Dictionary<string, string>();
        foreach (var step in ordered)
        {
            if (step is AwaitAction wait && states.GetValueOrDefault(wait.Service, "running") is not "running" and var waitState)
            {
                reader.Problem(wait.Location, $"impossible timeline: the step awaits {wait.Service}, which is {waitState} then");
            }
            if (step is not LifecycleAction action)
            {
                continue;
            }
            var state = states.GetValueOrDefault(action.Service, "running");
            string? problem = (action.Verb, state) switch
            {
                (LifecycleVerb.Start, not "stopped") => $"starts {action.Service}, which is {state} then (stop it first)",
                (LifecycleVerb.Stop or LifecycleVerb.Pause, not "running") => $"{action.Verb.ToString().ToLowerInvariant()}s {action.Service}, which is {state} then",
                (LifecycleVerb.Resume, not "paused") => $"resumes {action.Service}, which is not paused then",
                (LifecycleVerb.Kill, "stopped") => $"kills {action.Service}, which is already stopped then",
                (LifecycleVerb.Restart, "paused") => $"restarts {action.Service} while it is paused (resume it first)",
                _ => null,
            };
            if (problem is not null)
            {
                reader.Problem(action.Location, $"impossible timeline: the step {problem}");
            }
            states[action.Service] = action.For is not null ? "running" : action.Verb switch
            {
                LifecycleVerb.Stop or LifecycleVerb.Kill => "stopped",
                LifecycleVerb.Pause => "paused",
                _ => "running",
            };
        }
    }

    private static IReadOnlyList<ProbeDefinition> ReadProbes(YamlNodeReader reader, YamlMappingNode top, Topology topology, bool hasAuth)
    {
        var probes = new List<ProbeDefinition>();
        if (Required(reader, top, "probes", "scenario") is not { } node)
        {
            return probes;
        }
        if (node is not YamlSequenceNode list || list.Children.Count == 0)
        {
            reader.Problem(node, "probes: expected a list of at least one probe (websocket, http or health)");
            return probes;
        }
        var i = 0;
        foreach (var item in list.Children)
        {
            var path = $"probes[{i++}]";
            if (reader.Mapping(item, path) is not { } map)
            {
                continue;
            }
            reader.CheckKeys(map, path, ScenarioKeys.Probe);
            var name = reader.Child(map, "name") is { } n ? reader.String(n, path + ".name") ?? path : path;
            if (probes.Any(p => p.Name == name))
            {
                reader.Problem(reader.Child(map, "name") ?? item, $"{path}.name: another probe is called '{name}'");
            }
            var target = ReadVia(reader, map, path, topology);
            var kinds = map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!).Where(ScenarioKeys.ProbeKinds.Contains).ToList();
            if (kinds.Count != 1)
            {
                reader.Problem(item, $"{path}: give exactly one of websocket, http or health");
                continue;
            }
            var body = reader.Child(map, kinds[0])!;
            var kindPath = $"{path}.{kinds[0]}";
            var location = reader.At(item);
            if (reader.Mapping(body, kindPath) is not { } spec)
            {
                continue;
            }
            switch (kinds[0])
            {
                case "websocket":
                    reader.CheckKeys(spec, kindPath, ScenarioKeys.WebSocket);
                    var expect = Required(reader, spec, "expect", kindPath) is { } ex ? reader.StringOrList(ex, kindPath + ".expect") ?? [] : [];
                    probes.Add(new WebSocketProbeDefinition(name, target, location,
                        PathOf(reader, spec, kindPath, "/ws"),
                        TokenOf(reader, spec, kindPath, hasAuth),
                        reader.Child(spec, "subprotocols") is { } sp ? reader.StringOrList(sp, kindPath + ".subprotocols") ?? [] : [],
                        reader.Child(spec, "send") is { } send ? YamlJson.Convert(send) : null,
                        expect,
                        reader.Child(spec, "frame_timeout") is { } ft ? reader.Duration(ft, kindPath + ".frame_timeout") ?? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(5),
                        reader.Child(spec, "type_field") is { } tf ? reader.String(tf, kindPath + ".type_field") ?? "type" : "type"));
                    break;
                case "http":
                    reader.CheckKeys(spec, kindPath, ScenarioKeys.Http);
                    var status = 200;
                    var fields = new Dictionary<string, JsonNode?>();
                    if (reader.Child(spec, "expect") is { } expectNode && reader.Mapping(expectNode, kindPath + ".expect") is { } expectMap)
                    {
                        reader.CheckKeys(expectMap, kindPath + ".expect", ScenarioKeys.HttpExpect);
                        status = reader.Child(expectMap, "status") is { } st ? reader.Int(st, kindPath + ".expect.status", 100, 599) ?? 200 : 200;
                        if (reader.Child(expectMap, "json") is { } jsonNode && YamlJson.Convert(jsonNode) is JsonObject expected)
                        {
                            foreach (var (key, value) in expected)
                            {
                                fields[key] = value?.DeepClone();
                            }
                        }
                    }
                    var method = reader.Child(spec, "method") is { } m ? (reader.String(m, kindPath + ".method") ?? "GET").ToUpperInvariant() : "GET";
                    probes.Add(new HttpProbeDefinition(name, target, location, method,
                        PathOf(reader, spec, kindPath, "/"),
                        reader.Child(spec, "body") is { } b ? YamlJson.Convert(b) : null,
                        TokenOf(reader, spec, kindPath, hasAuth),
                        status, fields,
                        reader.Child(spec, "timeout") is { } to ? reader.Duration(to, kindPath + ".timeout") ?? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(10)));
                    break;
                default:
                    reader.CheckKeys(spec, kindPath, ScenarioKeys.Health);
                    probes.Add(new HealthPollProbeDefinition(name, target, location,
                        PathOf(reader, spec, kindPath, "/health"),
                        reader.Child(spec, "status") is { } hs ? reader.Int(hs, kindPath + ".status", 100, 599) ?? 200 : 200,
                        reader.Child(spec, "within") is { } wi ? reader.Duration(wi, kindPath + ".within") ?? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(10),
                        reader.Child(spec, "interval") is { } iv ? reader.Duration(iv, kindPath + ".interval") ?? TimeSpan.FromMilliseconds(100) : TimeSpan.FromMilliseconds(100)));
                    break;
            }
        }
        return probes;
    }

    private static string PathOf(YamlNodeReader reader, YamlMappingNode spec, string path, string fallback)
    {
        if (reader.Child(spec, "path") is not { } node)
        {
            return fallback;
        }
        var value = reader.String(node, path + ".path") ?? fallback;
        if (!value.StartsWith('/'))
        {
            reader.Problem(node, $"{path}.path: expected a path starting with '/', found '{value}'");
        }
        return value;
    }

    private static TokenMode TokenOf(YamlNodeReader reader, YamlMappingNode spec, string path, bool hasAuth)
    {
        if (reader.Child(spec, "token") is not { } node)
        {
            return hasAuth ? TokenMode.Auth : TokenMode.None;
        }
        switch (reader.String(node, path + ".token"))
        {
            case "auth" when hasAuth: return TokenMode.Auth;
            case "auth":
                reader.Problem(node, $"{path}.token: 'auth' needs an auth: block at the top of the scenario (how to get a token)");
                return TokenMode.None;
            case "none": return TokenMode.None;
            case { } other:
                reader.Problem(node, $"{path}.token: expected auth or none, found '{other}'");
                return TokenMode.None;
            default: return TokenMode.None;
        }
    }
}
