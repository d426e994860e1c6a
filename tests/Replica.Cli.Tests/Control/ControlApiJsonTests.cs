using System.Text.Encodings.Web;
using System.Text.Json.Serialization.Metadata;
using System.Text.Json.Serialization;
using System.Text.Json;
using System.Text;
using Microsoft.AspNetCore.Http;
using Replica.Chaos.Probes;
using Replica.Chaos.Verification;
using Replica.Cli.Commands;
using Replica.Cli.Control;
using Replica.Environments.Errors;
using Replica.Environments.Hosting;
using Replica.Proxy.Edge;
using Replica.Proxy.Tcp.Proxies;
using Replica.Proxy.Tcp.Toxics;
using Replica.Tests.Support;

namespace Replica.Cli.Tests.Control;

/// <summary>
/// The control API's JSON on the wire — the state the dashboard reads, the answer to every change, an error, each item
/// of the live feed, the body `replica set` posts — byte for byte as an independent oracle writes it: reflection-based
/// System.Text.Json with the options the control API has always had (web defaults, JavaScriptEncoder.Default, enums as
/// camelCase strings, nulls left out), given each value in the shape it has always had on the wire (the anonymous
/// objects, written out here property for property). The values are chosen to show a difference: text to escape
/// (markup, quotes, non-ASCII, a lone surrogate, control characters), nulls and non-nulls, fractions, a time with an
/// offset, dictionaries in an order that is not sorted, empty lists.
/// </summary>
public sealed class ControlApiJsonTests
{
    private const string Untrusted = "é <script>&'\"+`\\ \n\t\u0001\u007f 😀 \uD800 /";

    private static readonly DateTimeOffset At = new DateTimeOffset(2026, 12, 7, 0, 37, 9, TimeSpan.FromHours(2)).AddTicks(1234567);

    /// <summary>Today's ControlJson.Options, written again here: the oracle.</summary>
    private static readonly JsonSerializerOptions Oracle = new(ReflectionJsonOracle.Options(indented: false, JavaScriptEncoder.Default))
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static string OracleJson(object? value) => JsonSerializer.Serialize(value, Oracle);

    /// <summary>A live feed item as LiveFeed has always written it: the item made an element, then the envelope.</summary>
    private static string OracleFeedItem(long seq, string channel, object item) =>
        JsonSerializer.Serialize(new { seq, channel, item = JsonSerializer.SerializeToElement(item, Oracle) }, Oracle);

    [Theory]
    [InlineData(null)]
    [InlineData("choose another address with --dashboard HOST:PORT " + Untrusted)]
    public async Task An_error_is_answered_as_the_oracle_writes_it(string? hint)
    {
        var (status, body) = await AnswerAsync(c => ControlResponse.WriteErrorAsync(c, 501, Untrusted, ReplicaErrorKind.MissingPrerequisite, hint));

        Assert.Equal(501, status);
        AssertSameBytes(OracleJson(new { error = Untrusted, hint, kind = "MissingPrerequisite" }), body);
    }

    public static TheoryData<string> AnswerNames => [.. Answers().Keys];

    [Theory]
    [MemberData(nameof(AnswerNames))]
    public async Task Each_answer_to_a_change_is_written_and_fed_as_the_oracle_writes_it(string name)
    {
        var answer = Answers()[name];

        var (status, body) = await AnswerAsync(answer.Answer);
        var feed = new LiveFeed();
        answer.Publish(feed);
        answer.Publish(feed);

        Assert.Equal(200, status);
        AssertSameBytes(OracleJson(answer.Today), body);
        Assert.Equal([OracleFeedItem(1, "action", answer.Today), OracleFeedItem(2, "action", answer.Today)], await ReadAsync(feed, 2));
    }

    public static TheoryData<string> StateNames => [.. States().Keys];

    [Theory]
    [MemberData(nameof(StateNames))]
    public async Task The_state_is_answered_as_the_oracle_writes_it(string name)
    {
        var state = States()[name];

        var (status, body) = await AnswerAsync(state.Answer);

        Assert.Equal(200, status);
        AssertSameBytes(OracleJson(state.Today), body);
    }

    [Fact]
    public async Task The_environments_events_and_the_edges_entries_are_fed_as_the_oracle_writes_them()
    {
        var events = new[]
        {
            new EnvironmentEvent(At, "backend", EnvironmentEventKind.Unhealthy, Untrusted),
            new EnvironmentEvent(At.ToUniversalTime(), null, EnvironmentEventKind.Progress, "starting 4 services"),
        };
        var entries = new[]
        {
            new EdgeTap.Entry(At, "frame", "ws", "c1", "to-client", null, null, null, "<script>", Untrusted, null, "r1"),
            new EdgeTap.Entry(At, "request", "api", null, null, "GET", "/api/threads?q=" + Untrusted, 503, null, null, 12.345678, null),
            new EdgeTap.Entry(At, "close", "ws", "c1", "to-upstream", null, null, 1011, "close", "Service not ready: redis", null, null),
        };
        var feed = new LiveFeed();

        foreach (var e in events)
        {
            PublishEnvironmentEvent(feed, e);
        }
        foreach (var entry in entries)
        {
            PublishEdgeEntry(feed, entry);
        }

        var expected = events.Select(e => (Channel: "env", Item: (object)new { at = e.At, service = e.Service, kind = e.Kind.ToString().ToLowerInvariant(), message = e.Message }))
            .Concat(entries.Select(e => (Channel: "edge", Item: (object)e)))
            .Select((x, i) => OracleFeedItem(i + 1, x.Channel, x.Item))
            .ToList();
        Assert.Equal(expected, await ReadAsync(feed, expected.Count));
    }

    [Fact]
    public async Task A_finished_run_is_fed_and_kept_for_the_state_as_the_oracle_writes_it()
    {
        var feed = new LiveFeed();
        var lastRun = new LastRun(feed);
        var runs = new[]
        {
            new RunResult("baseline", 1, 7, RunOutcome.Symptom, new FailureMode(FailureKind.WebSocketClosed, 1011, Untrusted), [], [], TimeSpan.FromMilliseconds(1234.567)),
            new RunResult("fixed", 2, 7, RunOutcome.OtherFailure, null, [], [], TimeSpan.FromSeconds(2), Error: "the backend would not restart"),
            new RunResult("baseline", 3, 7, RunOutcome.Passed, null, [], [], TimeSpan.FromSeconds(0.3)),
        };

        var expected = new List<string>();
        var tally = new Dictionary<string, Dictionary<string, int>>();
        object? today = null;
        foreach (var run in runs)
        {
            lastRun.Publish("r2 " + Untrusted, run, 3);
            if (!tally.TryGetValue(run.Variant, out var counts))
            {
                tally[run.Variant] = counts = new Dictionary<string, int> { ["passed"] = 0, ["symptom"] = 0, ["otherFailure"] = 0, ["error"] = 0 };
            }
            var outcome = JsonNamingPolicy.CamelCase.ConvertName(run.Outcome.ToString());
            counts[outcome]++;
            today = new
            {
                scenario = "r2 " + Untrusted,
                variant = run.Variant,
                index = run.Index,
                runs = 3,
                outcome,
                failure = run.FailureMode?.Label ?? run.Error,
                seconds = Math.Round(run.Duration.TotalSeconds, 2),
                tally = tally.ToDictionary(p => p.Key, p => new Dictionary<string, int>(p.Value)),
            };
            expected.Add(OracleFeedItem(expected.Count + 1, "run", today));
        }

        Assert.Equal(expected, await ReadAsync(feed, expected.Count));
        Assert.Equal(OracleJson(today), CurrentRunJson(lastRun));
    }

    [Fact]
    public async Task The_body_replica_set_posts_is_written_as_the_oracle_writes_it()
    {
        var arguments = SetCommand.ParseArguments(["backend", "Z_LAST=" + Untrusted, "A_FIRST=1"]);
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> variant = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["worker"] = new Dictionary<string, string> { ["R2_WEBSOCKET_READINESS"] = "seed" },
            ["backend"] = new Dictionary<string, string>(),
        };

        AssertSameBytes(OracleJson(new { settings = (object)arguments, restart = true }),
            await SettingsBodyAsync(arguments.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, string>)p.Value), restart: true));
        AssertSameBytes(OracleJson(new { settings = (object)variant, restart = false }), await SettingsBodyAsync(variant, restart: false));
    }

    [Fact]
    public void The_context_has_the_options_the_control_api_always_had_and_its_encoder_escapes_as_JavaScriptEncoder_Default()
    {
        var options = ControlJsonContext.Default.Options;

        Assert.Same(JsonNamingPolicy.CamelCase, options.PropertyNamingPolicy);
        Assert.Null(options.DictionaryKeyPolicy);
        Assert.Equal(JsonIgnoreCondition.WhenWritingNull, options.DefaultIgnoreCondition);
        // A source generation option cannot name an encoder: the default one is used, and it must escape every
        // character as JavaScriptEncoder.Default does (the oracle's).
        Assert.Null(options.Encoder);
        var different = new List<string>();
        foreach (var text in Enumerable.Range(0, 0x10000).Select(c => ((char)c).ToString())
                     .Concat(Enumerable.Range(0x10000, 0x100000).Where(c => c % 251 == 0).Select(char.ConvertFromUtf32)))
        {
            var written = JsonSerializer.Serialize(new Dictionary<string, string> { [text] = text }, ControlJsonContext.Default.IReadOnlyDictionaryStringString);
            if (written != OracleJson(new Dictionary<string, string> { [text] = text }))
            {
                different.Add(written);
            }
        }
        Assert.Empty(different);
    }

    [Fact]
    public void Every_type_that_crosses_the_control_api_is_in_the_context_and_every_enum_is_a_camelCase_name()
    {
        var roots = typeof(ControlJsonContext).CustomAttributes
            .Where(a => a.AttributeType == typeof(JsonSerializableAttribute))
            .Select(a => (Type)a.ConstructorArguments[0].Value!)
            .ToList();
        var seen = new HashSet<Type>();
        var pending = new Queue<Type>(roots);
        while (pending.TryDequeue(out var type))
        {
            if (type == typeof(object) || !seen.Add(type))
            {
                continue;
            }
            var info = ControlJsonContext.Default.GetTypeInfo(type);
            Assert.True(info is not null, $"{type} crosses the control API but is not in ControlJsonContext");
            IEnumerable<Type> next = info.Kind switch
            {
                JsonTypeInfoKind.Object => info.Properties.Select(p => p.PropertyType),
                JsonTypeInfoKind.Enumerable => [info.ElementType!],
                JsonTypeInfoKind.Dictionary => [info.KeyType!, info.ElementType!],
                _ => [],
            };
            foreach (var t in next)
            {
                pending.Enqueue(t);
            }
        }

        Assert.Contains(typeof(StateSnapshot), seen);
        Assert.Contains(typeof(ToxicView), seen);
        foreach (var type in seen.Select(t => Nullable.GetUnderlyingType(t) ?? t).Where(t => t.IsEnum))
        {
            foreach (var value in Enum.GetValues(type))
            {
                Assert.Equal(OracleJson(value), JsonSerializer.Serialize(value, ControlJsonContext.Default.GetTypeInfo(type)!));
            }
        }
    }

    // ---- What the control API writes: its named types, through the source-generated ControlJsonContext. ----

    private static ControlJsonContext Json => ControlJsonContext.Default;

    /// <summary>A value in the shape it has always had on the wire (<paramref name="Today"/>), and how the API now answers and feeds it.</summary>
    private sealed record Case(object Today, Func<HttpContext, Task> Answer, Action<LiveFeed> Publish);

    private static Case Typed<T>(object today, T value, JsonTypeInfo<T> type) =>
        new(today, c => ControlResponse.WriteJsonAsync(c, 200, value, type), f => f.Publish("action", value, type));

    private static void PublishEnvironmentEvent(LiveFeed feed, EnvironmentEvent e) =>
        feed.Publish("env", EnvironmentEventView.Of(e), Json.EnvironmentEventView);

    private static void PublishEdgeEntry(LiveFeed feed, EdgeTap.Entry entry) => feed.Publish("edge", entry, Json.EdgeTapEntry);

    private static string CurrentRunJson(LastRun lastRun) => JsonSerializer.Serialize(lastRun.Current()!, Json.RunSummary);

    private static Task<byte[]> SettingsBodyAsync(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> settings, bool restart) =>
        ControlClient.JsonBody(new SettingsRequest(settings, restart), Json.SettingsRequest).ReadAsByteArrayAsync();

    private static object ToxicToday(Toxic toxic) => new
    {
        name = toxic.Name,
        type = toxic.Type,
        stream = toxic.Stream,
        toxicity = toxic.Toxicity,
        attributes = toxic.Attributes.ToDictionary(a => a.Key, a => a.Value),
    };

    private static Dictionary<string, Case> Answers()
    {
        var (latency, delay) = Toxics();
        var changed = new Dictionary<string, string> { ["Z_LAST"] = Untrusted, ["A_FIRST"] = "1" };
        var set = new
        {
            verb = "set",
            changed = new[]
            {
                new { service = "backend", settings = (IReadOnlyDictionary<string, string>)changed, restarted = true, status = "healthy" },
                new { service = "worker", settings = (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(), restarted = false, status = "stopped" },
            }.ToList(),
            unchanged = new List<string> { "auth" },
            seconds = Math.Round(0.1 + 0.2, 2),
        };
        var unchanged = new { verb = "set", changed = set.changed.Take(0).ToList(), unchanged = new List<string> { "backend", "auth" }, seconds = 0.0 };
        var restart = new { verb = "restart", service = "auth", status = "healthy", endpoint = (string?)"127.0.0.1:5001", pid = (int?)4242, container = (string?)null, seconds = 1.23 };
        var kill = new { verb = "kill", service = "auth", status = "stopped", endpoint = (string?)null, pid = (int?)null, container = (string?)null, seconds = 0.01 };
        var pause = new { verb = "pause", service = "redis", status = "paused", endpoint = (string?)"127.0.0.1:6379", pid = (int?)null, container = (string?)"0123456789abcdef", seconds = 0.5 };
        var toxicAdd = new { verb = "toxic add", dependency = "backend_redis", toxic = ToxicToday(latency) };
        var toxicAddText = new { verb = "toxic add", dependency = "backend_postgres", toxic = ToxicToday(delay) };
        return new()
        {
            ["restart"] = Typed(restart, new ServiceVerbResult("restart", "auth", "healthy", "127.0.0.1:5001", 4242, null, 1.23), Json.ServiceVerbResult),
            ["kill"] = Typed(kill, new ServiceVerbResult("kill", "auth", "stopped", null, null, null, 0.01), Json.ServiceVerbResult),
            ["pause in a container"] = Typed(pause, new ServiceVerbResult("pause", "redis", "paused", "127.0.0.1:6379", null, "0123456789abcdef", 0.5), Json.ServiceVerbResult),
            ["set"] = Typed(set, new SettingsResult("set",
                [new ServiceSettingsChange("backend", changed, true, "healthy"), new ServiceSettingsChange("worker", new Dictionary<string, string>(), false, "stopped")],
                ["auth"], Math.Round(0.1 + 0.2, 2)), Json.SettingsResult),
            ["set, nothing changed"] = Typed(unchanged, new SettingsResult("set", [], ["backend", "auth"], 0.0), Json.SettingsResult),
            ["toxic add"] = Typed(toxicAdd, new ToxicAddedResult("toxic add", "backend_redis", ToxicView.Of(latency)), Json.ToxicAddedResult),
            ["toxic add, text attribute"] = Typed(toxicAddText, new ToxicAddedResult("toxic add", "backend_postgres", ToxicView.Of(delay)), Json.ToxicAddedResult),
            ["toxic rm"] = Typed(new { verb = "toxic rm", dependency = "backend_redis", toxic = Untrusted }, new ToxicRemovedResult("toxic rm", "backend_redis", Untrusted), Json.ToxicRemovedResult),
            ["enable"] = Typed(new { verb = "enable", dependency = "backend_redis", enabled = true }, new ProxyToggledResult("enable", "backend_redis", true), Json.ProxyToggledResult),
            ["disable"] = Typed(new { verb = "disable", dependency = "backend_redis", enabled = false }, new ProxyToggledResult("disable", "backend_redis", false), Json.ProxyToggledResult),
            ["rule add"] = Typed(new { verb = "rule add", rules = new List<string> { "r1", Untrusted } }, new RulesAddedResult("rule add", ["r1", Untrusted]), Json.RulesAddedResult),
            ["rule rm"] = Typed(new { verb = "rule rm", rule = "r1" }, new RuleRemovedResult("rule rm", "r1"), Json.RuleRemovedResult),
        };
    }

    private static Dictionary<string, Case> States()
    {
        var (latency, delay) = Toxics();
        var feed = new LiveFeed();
        var lastRun = new LastRun(feed);
        lastRun.Publish("r2", new RunResult("baseline", 2, 7, RunOutcome.Symptom, new FailureMode(FailureKind.Timeout, AfterFrames: ["system_message", "ping"]), [], [],
            TimeSpan.FromSeconds(3.14159)), 5);
        var services = new[]
        {
            new
            {
                name = "backend",
                kind = "process",
                status = "healthy",
                health = (string?)("HTTP 200 " + Untrusted),
                endpoint = (string?)"127.0.0.1:5002",
                pid = (int?)31337,
                container = (string?)null,
                settings = (IReadOnlyDictionary<string, string>)new Dictionary<string, string> { ["R2_WEBSOCKET_READINESS"] = "fixed", ["AGENT_EVENT_DELAY"] = "0ms" },
                log = (IReadOnlyList<string>)new List<string> { "listening on http://127.0.0.1:5002", Untrusted },
            },
            new
            {
                name = "redis",
                kind = "redis",
                status = "pending",
                health = (string?)null,
                endpoint = (string?)null,
                pid = (int?)null,
                container = (string?)"0123456789ab",
                settings = (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(),
                log = (IReadOnlyList<string>)new List<string>(),
            },
        }.ToList();
        var dependencies = new[]
        {
            new
            {
                name = "backend_redis",
                dependent = "backend",
                dependency = "redis",
                listen = (string?)"127.0.0.1:40001",
                upstream = "127.0.0.1:6379",
                enabled = false,
                proxied = true,
                toxics = new List<object> { ToxicToday(latency), ToxicToday(delay) },
            },
            new
            {
                name = "worker_postgres",
                dependent = "worker",
                dependency = "postgres",
                listen = (string?)null,
                upstream = "127.0.0.1:5432",
                enabled = true,
                proxied = false,
                toxics = new List<object>(),
            },
        }.ToList();
        var rules = new[]
        {
            new { id = "r1", rule = """{"id":"r1","match":{"path":"/ws"},"action":{"type":"close","code":1011}}""", injected = 3L, addedAt = At },
            new { id = Untrusted, rule = "{}", injected = 0L, addedAt = At.ToUniversalTime() },
        }.ToList();
        IReadOnlyList<string> toxicTypes = ["latency", "bandwidth", "startup_delay"];
        var full = new
        {
            name = "interactive",
            runtime = "process",
            seed = 1234,
            edge = (string?)"http://127.0.0.1:40000/",
            network = "replica-interactive",
            services,
            dependencies,
            rules,
            toxicTypes,
            run = lastRun.Current(),
        };
        var bare = new
        {
            name = "plain",
            runtime = "docker",
            seed = -1,
            edge = (string?)null,
            network = "replica-plain",
            services = services.Take(0).ToList(),
            dependencies = dependencies.Take(0).ToList(),
            rules = NullOf(rules),
            toxicTypes,
            run = (object?)null,
        };
        return new()
        {
            ["with services, dependencies, rules and a run"] = Typed(full, new StateSnapshot(
                "interactive", "process", 1234, "http://127.0.0.1:40000/", "replica-interactive",
                [
                    new ServiceView("backend", "process", "healthy", "HTTP 200 " + Untrusted, "127.0.0.1:5002", 31337, null,
                        services[0].settings, ["listening on http://127.0.0.1:5002", Untrusted]),
                    new ServiceView("redis", "redis", "pending", null, null, null, "0123456789ab", new Dictionary<string, string>(), []),
                ],
                [
                    new DependencyView("backend_redis", "backend", "redis", "127.0.0.1:40001", "127.0.0.1:6379", false, true, [ToxicView.Of(latency), ToxicView.Of(delay)]),
                    new DependencyView("worker_postgres", "worker", "postgres", null, "127.0.0.1:5432", true, false, []),
                ],
                [
                    new EdgeRuleView("r1", rules[0].rule, 3, At),
                    new EdgeRuleView(Untrusted, "{}", 0, At.ToUniversalTime()),
                ],
                toxicTypes, lastRun.Current()), Json.StateSnapshot),
            ["without an edge or a run"] = Typed(bare, new StateSnapshot("plain", "docker", -1, null, "replica-plain", [], [], null, toxicTypes, null), Json.StateSnapshot),
        };
    }

    /// <summary>A latency toxic (integer attributes, toxicity 0.3, the stream as the client wrote it) and a startup delay (a text attribute).</summary>
    private static (Toxic Latency, Toxic Delay) Toxics()
    {
        var proxies = new ProxyCollection(seed: 1).Create(new ProxyDefinition("backend_redis", "127.0.0.1:0", "127.0.0.1:6379") { Enabled = false });
        var latency = proxies.AddToxic(ToxicSpec.FromJson(JsonDocument.Parse("""
            {"name":"slow","type":"latency","stream":"UpStream","toxicity":0.3,"attributes":{"latency":100,"jitter":5}}
            """).RootElement));
        var delay = proxies.AddToxic(ToxicSpec.FromJson(JsonDocument.Parse("""
            {"type":"startup_delay","attributes":{"delay":60000,"mode":"refuse"}}
            """).RootElement));
        return (latency, delay);
    }

    // ---- Plumbing. ----

    private static T? NullOf<T>(T _)
        where T : class => null;

    private static async Task<(int Status, byte[] Body)> AnswerAsync(Func<HttpContext, Task> write)
    {
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;
        await write(context);
        Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
        return (context.Response.StatusCode, body.ToArray());
    }

    private static async Task<List<string>> ReadAsync(LiveFeed feed, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var items = new List<string>();
        await foreach (var item in feed.ReadAllAsync(timeout.Token))
        {
            items.Add(item);
            if (items.Count == count)
            {
                break;
            }
        }
        return items;
    }

    private static void AssertSameBytes(string expected, byte[] actual)
    {
        Assert.Equal(expected, Encoding.UTF8.GetString(actual));
        Assert.Equal(Encoding.UTF8.GetBytes(expected), actual);
    }
}
