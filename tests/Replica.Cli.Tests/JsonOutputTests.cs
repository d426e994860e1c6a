using System.Text.Encodings.Web;
using System.Text.Json.Serialization.Metadata;
using System.Text.Json.Serialization;
using System.Text.Json;
using Replica.Chaos.Probes;
using Replica.Chaos.Verification;
using Replica.Cli.Commands;
using Replica.Cli.Environments;
using Replica.Cli.Json;
using Replica.Environments.State;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>
/// `--json` output is generated at build time (so a natively compiled `replica` needs no reflection) and must print
/// exactly what the reflection-based serializer printed before: the oracle here is that serializer with the options
/// the CLI used, written out again in the test.
/// </summary>
public sealed class JsonOutputTests
{
    private static readonly JsonSerializerOptions Reflection = ReflectionJsonOracle.Options(indented: true, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);

    private static readonly FailureMode Closed = new(FailureKind.WebSocketClosed, 1011, "Internal error — é ≤ <tag> & \"quoted\"", ["agent_started", "tool_executing"]);

    private static readonly ProbeObservation Observation = new(
        "agent-socket", TimeSpan.FromMilliseconds(12.5), TimeSpan.FromSeconds(1.25), false, Closed,
        [new ObservedFrame(TimeSpan.FromMilliseconds(40), "received", "agent_started", "{\"type\":\"agent_started\"}"), new ObservedFrame(TimeSpan.FromMilliseconds(41), "sent", "close")],
        "closed 1011 before agent_completed");

    [Fact]
    public void A_run_prints_as_the_reflection_serializer_printed_it()
    {
        var run = new RunResult("baseline", 3, 42, RunOutcome.Symptom, Closed, [Observation],
            [new TimelineEvent(TimeSpan.Zero, TimeSpan.FromSeconds(2), "redis", "toxic", "latency 2000 ms"), new TimelineEvent(TimeSpan.FromSeconds(1), null, "probe", "start", "agent-socket")],
            TimeSpan.FromSeconds(3.5), "an error", ["backend | ready", "backend | 1011"], "seed-fix", 77);

        AssertPrintedAsBefore(run, JsonOutput.Types.RunResult);
        Assert.Contains("\"outcome\": \"symptom\"", JsonSerializer.Serialize(run, JsonOutput.Types.RunResult));
    }

    [Fact]
    public void A_status_prints_as_the_reflection_serializer_printed_it()
    {
        var report = new EnvironmentStatusReport("staging", true, "process", "up", 1234, true, "/repo/compose.yaml",
            [new ServiceStatusReport("redis", "redis", "running", "healthy", "Redis PING", "127.0.0.1:6379", new Dictionary<string, string> { ["6379"] = "127.0.0.1:6379" }, 99, null)],
            [new DependencyRecord("backend_redis", "backend", "redis", "127.0.0.1:41000", "127.0.0.1:6379", true)],
            new Dictionary<string, string> { ["edge"] = "127.0.0.1:40002" },
            new Dictionary<string, long> { ["edge"] = 42 },
            new Dictionary<string, IReadOnlyDictionary<string, string>> { ["backend"] = new Dictionary<string, string> { ["REDIS_CONNECT_TIMEOUT"] = "30s" } });

        AssertPrintedAsBefore(report, JsonOutput.Types.EnvironmentStatusReport);
        AssertPrintedAsBefore(EnvironmentStatusReport.NotUp("gone"), JsonOutput.Types.EnvironmentStatusReport);
    }

    [Fact]
    public void Lint_and_probe_reports_print_as_the_anonymous_objects_they_replace_printed()
    {
        var errors = new[] { new LintError("scenario.json", 3, 7, "unknown key \"tmeline\""), new LintError(null, null, null, "no compose file") };
        Assert.Equal(
            JsonSerializer.Serialize(new { Valid = false, Errors = errors.ToList() }, Reflection),
            JsonSerializer.Serialize(new LintFailure(false, errors), JsonOutput.Types.LintFailure));

        var success = new LintSuccess(true, "r2", "/repo/chaos/scenarios/r2.json", "/repo/compose.yaml", ["baseline", "fixed"], 4, ["agent-socket"], 5, 6, [errors[0]]);
        Assert.Equal(
            JsonSerializer.Serialize(new
            {
                Valid = true,
                Scenario = "r2",
                File = "/repo/chaos/scenarios/r2.json",
                Compose = "/repo/compose.yaml",
                Variants = new List<string> { "baseline", "fixed" },
                Steps = 4,
                Probes = new List<string> { "agent-socket" },
                Services = 5,
                Dependencies = 6,
                Warnings = new List<LintError> { errors[0] },
            }, Reflection),
            JsonSerializer.Serialize(success, JsonOutput.Types.LintSuccess));

        Assert.Equal(
            JsonSerializer.Serialize(new { scenario = "r2", environment = "staging", outcome = "symptom", symptom = "close 1011", failure = Closed.Label, observation = Observation }, Reflection),
            JsonSerializer.Serialize(new ProbeReport("r2", "staging", "symptom", "close 1011", Closed.Label, Observation), JsonOutput.Types.ProbeReport));
    }

    private static void AssertPrintedAsBefore<T>(T value, JsonTypeInfo<T> generated)
        => Assert.Equal(JsonSerializer.Serialize(value, Reflection), JsonSerializer.Serialize(value, generated));
}
