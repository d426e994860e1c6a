using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Replica.Chaos.Probes;
using Replica.Chaos.Reports;
using Replica.Chaos.Scenarios;
using Replica.Chaos.Verification;
using Replica.Environments.Errors;
using Replica.Tests.Support;

namespace Replica.Chaos.Tests;

/// <summary>
/// `verify --json` and what `report merge` reads, against an oracle: the reflection-based serializer with the options
/// <see cref="VerificationReportJson"/> had before its JSON was generated at build time (for the natively compiled
/// `replica`). What it writes is byte for byte the oracle's; what the oracle reads comes out the same, and what the
/// oracle refuses is refused with the same message.
/// </summary>
public sealed class VerificationReportJsonTests
{
    /// <summary>
    /// The oracle: VerificationReportJson.Options as they were, reflection and the non-generic enum converter. The
    /// resolver is the one an options instance without one gets; said here so the oracle stays reflection-based.
    /// </summary>
    private static readonly JsonSerializerOptions Oracle = ReflectionJsonOracle.Options(indented: true, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);

    /// <summary>Text the encoder leaves as it is (é, ≤, &lt;, &amp;, ') or escapes (quote, backslash, control characters, an emoji, U+2028).</summary>
    private const string Odd = "é ≤ <tag> & \"quoted\" \\ 'single' \n\t😀 \u0001 \u2028";

    [Theory]
    [InlineData("full")]
    [InlineData("sparse")]
    [InlineData("parallelism given")]
    public void The_json_is_byte_for_byte_what_the_reflection_serializer_wrote(string which)
    {
        var report = Report(which);

        var written = VerificationReportJson.Serialize(report);

        var expected = JsonSerializer.Serialize(report, Oracle);
        Assert.Equal(expected, written);
        Assert.Equal(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(written));
    }

    [Fact]
    public void The_public_options_write_the_report_as_it_was_written()
    {
        var report = Report("full");
        var typeInfo = (JsonTypeInfo<VerificationReport>)VerificationReportJson.Options.GetTypeInfo(typeof(VerificationReport));

        Assert.Equal(JsonSerializer.Serialize(report, Oracle), JsonSerializer.Serialize(report, typeInfo));
        Assert.True(VerificationReportJson.Options.WriteIndented);
        Assert.Same(JavaScriptEncoder.UnsafeRelaxedJsonEscaping, VerificationReportJson.Options.Encoder);
        Assert.Same(JsonNamingPolicy.CamelCase, VerificationReportJson.Options.PropertyNamingPolicy);
    }

    [Fact]
    public void The_full_report_has_every_field_set_and_the_text_left_readable()
    {
        var written = VerificationReportJson.Serialize(Report("full"));

        using var json = JsonDocument.Parse(written);
        var root = json.RootElement;
        foreach (var name in new[] { "incidentLink", "parallelism", "calibration", "minimumSymptomRate" })
        {
            Assert.NotEqual(JsonValueKind.Null, root.GetProperty(name).ValueKind);
        }
        Assert.Equal(JsonValueKind.Null, root.GetProperty("variants")[2].GetProperty("observedRate").ValueKind);
        Assert.Equal("tooRare", root.GetProperty("variants")[0].GetProperty("verdict").GetString());
        Assert.Equal("otherFailure", root.GetProperty("runs")[1].GetProperty("outcome").GetString());
        Assert.Contains("é ≤ <tag> & \\\"quoted\\\"", written);
        Assert.Contains("\\n\\t\\uD83D\\uDE00 \\u0001 \\u2028", written);
    }

    [Fact]
    public void A_nan_rate_is_refused_as_the_reflection_serializer_refused_it()
    {
        var report = Report("full");
        var nan = report with
        {
            Variants = [report.Variants[0] with { FailureRate = new WilsonInterval(double.NaN, 1) }, .. report.Variants.Skip(1)],
            MinimumSymptomRate = double.NaN,
        };

        var expected = Assert.ThrowsAny<Exception>(() => JsonSerializer.Serialize(nan, Oracle));
        var actual = Assert.ThrowsAny<Exception>(() => VerificationReportJson.Serialize(nan));

        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected.Message, actual.Message);
    }

    [Theory]
    [InlineData("full")]
    [InlineData("sparse")]
    [InlineData("parallelism given")]
    public void A_written_report_reads_back_as_the_reflection_serializer_reads_it(string which)
    {
        using var scratch = new ScratchDirectory("replica-report-json-");
        var path = scratch.Write("report.json", VerificationReportJson.Serialize(Report(which)));

        var read = VerificationReportJson.Read(path);

        var expected = JsonSerializer.Serialize(OracleRead(path), Oracle);
        Assert.Equal(expected, JsonSerializer.Serialize(read, Oracle));
        Assert.Equal(File.ReadAllText(path), VerificationReportJson.Serialize(read));
    }

    /// <summary>Files as a person or another tool may write them: what the oracle reads, and what it refuses.</summary>
    [Theory]
    [InlineData("pascal case names", true, """{ "Scenario": "r2", "VARIANTS": [], "Runs": [] }""")]
    [InlineData("numbers as strings", true, """{ "scenario": "r2", "seed": "42", "runsPerVariant": "3", "seeds": ["1", 2], "minimumSymptomRate": "0.5", "variants": [], "runs": [] }""")]
    [InlineData("enums spelled otherwise", true, """
        { "scenario": "r2", "variants": [
            { "variant": "a", "expectation": "Symptom", "verdict": "TooRare", "runs": 1, "failureModes": { "x": 1 }, "failureRate": { "low": 0.1, "high": "0.9" } },
            { "variant": "b", "expectation": 1, "verdict": "NOTFIXED" },
            { "variant": "c", "expectation": "pass", "verdict": "tooRare" } ],
          "runs": [ { "variant": "a", "index": 1, "outcome": "OtherFailure", "failureMode": { "kind": "webSocketClosed", "code": 1011 } },
                    { "variant": "a", "index": 2, "outcome": 3, "failureMode": { "kind": "TIMEOUT", "afterFrames": ["x"] } } ] }
        """)]
    [InlineData("time as text", true, """{ "scenario": "r2", "startedAt": "2024-02-29T23:59:59.1234567+05:30", "duration": "1.02:03:04.5", "environmentStart": "00:00:00.8123456", "variants": [], "runs": [ { "variant": "a", "duration": "00:00:01", "timeline": [ { "at": "00:00:00.9", "until": null, "lane": "faults", "kind": "fault", "label": "x" } ] } ] }""")]
    [InlineData("computed and unknown fields", true, """{ "scenario": "r2", "expectationsHeld": true, "variants": [ { "variant": "a", "failures": 9, "completed": 9, "observedRate": 1, "expectationHeld": true } ], "runs": [], "extra": { "nested": [1, 2, { "x": null }] } }""")]
    [InlineData("nulls", true, """{ "scenario": "r2", "incident": null, "incidentLink": null, "parallelism": null, "calibration": null, "minimumSymptomRate": null, "variants": [], "runs": [ { "variant": "a", "failureMode": null, "probes": null, "serviceLog": null, "runSeed": null } ] }""")]
    [InlineData("parallelism and calibration", true, """{ "scenario": "r2", "parallelism": { "copies": 3, "source": "default", "processors": 2, "cpuBound": 4, "copyMemoryMiB": 310.5, "availableMiB": null, "memoryBound": 7, "runs": 12 }, "calibration": { "copies": 3, "runsPerVariant": 4, "differs": true, "variants": [ { "variant": "a", "alone": 1, "aloneCompleted": 4, "aloneRate": { "low": 0, "high": 1 }, "parallel": 2, "parallelCompleted": 4, "parallelRate": { "low": 0.1, "high": 0.9 }, "differs": false } ] }, "variants": [], "runs": [] }""")]
    [InlineData("written before shards, copies, machines and seeds were recorded", true, """{ "scenario": "r2", "incident": "i", "seed": 5, "runsPerVariant": 2, "variants": [], "runs": [] }""")]
    [InlineData("shards and seeds named in another case", true, """{ "scenario": "r2", "SHARDS": ["2/3"], "Seeds": [5], "variants": [], "runs": [] }""")]
    [InlineData("repeated field", true, """{ "scenario": "first", "scenario": "r2", "variants": [], "runs": [] }""")]
    [InlineData("broken, with its line", false, "{\n  \"scenario\": \"r2\",\n  \"runs\": [ oops ]\n}\n")]
    [InlineData("unknown enum name", false, """{ "scenario": "r2", "variants": [], "runs": [ { "variant": "a", "outcome": "crashed" } ] }""")]
    [InlineData("enum name in another style", false, """{ "scenario": "r2", "variants": [ { "variant": "a", "verdict": "too_rare" } ], "runs": [] }""")]
    [InlineData("wrong kind of value", false, """{ "scenario": "r2", "seed": true, "variants": [], "runs": [] }""")]
    [InlineData("bad value in a run", false, "{\n \"scenario\": \"r2\",\n \"runs\": [{ \"variant\": \"a\",\n \"runSeed\": \"x\" }],\n \"variants\": []\n}\n")]
    [InlineData("bad value after an init-only property", false, "{\n \"runsPerVariant\": 3,\n \"scenario\": 5,\n \"variants\": [],\n \"runs\": []\n}\n")]
    [InlineData("bad time", false, """{ "scenario": "r2", "duration": "soon", "variants": [], "runs": [] }""")]
    [InlineData("trailing comma", false, """{ "scenario": "r2", "variants": [], "runs": [], }""")]
    [InlineData("comment", false, "{ // a comment\n \"scenario\": \"r2\", \"variants\": [], \"runs\": [] }")]
    [InlineData("an array", false, "[]")]
    [InlineData("null", false, "null")]
    [InlineData("empty", false, "")]
    [InlineData("no scenario", false, """{ "scenario": "", "variants": [], "runs": [] }""")]
    [InlineData("no variants", false, """{ "scenario": "r2", "runs": [] }""")]
    [InlineData("no runs", false, """{ "scenario": "r2", "variants": [] }""")]
    public void A_file_reads_as_the_reflection_serializer_read_it(string what, bool read, string text)
    {
        using var scratch = new ScratchDirectory("replica-report-json-");
        var path = scratch.Write("report.json", text);

        var actual = Outcome(() => VerificationReportJson.Read(path));

        var expected = Outcome(() => OracleRead(path));
        Assert.True(expected == actual, $"{what}\nthe oracle: {expected}\nnow:        {actual}");
        Assert.True(read ? actual.StartsWith('{') : actual.StartsWith("refused (BadInput): ", StringComparison.Ordinal), actual);
    }

    /// <summary>
    /// A bad value of a property the report sets after its constructor (runsPerVariant, shards, parallelism, seeds,
    /// minimumSymptomRate …) is refused as before, with the same JSON path. The line is now the bad value's: reflection
    /// read those properties after the whole object and named the line of its closing brace. The detail may name the
    /// report instead of the property's type.
    /// </summary>
    [Theory]
    [InlineData("{\n \"scenario\": \"r2\",\n \"shards\": 5,\n \"variants\": [],\n \"runs\": []\n}\n", "$.shards", 3, 6)]
    [InlineData("{\n \"scenario\": \"r2\",\n \"minimumSymptomRate\": \"x\",\n \"variants\": [],\n \"runs\": []\n}\n", "$.minimumSymptomRate", 3, 6)]
    [InlineData("{\n \"scenario\": \"r2\",\n \"parallelism\": [],\n \"variants\": [],\n \"runs\": []\n}\n", "$.parallelism", 3, 6)]
    [InlineData("{\n \"scenario\": \"r2\",\n \"parallelism\": { \"copies\": \"x\" },\n \"variants\": [],\n \"runs\": []\n}\n", "$.parallelism.copies", 3, 6)]
    [InlineData("{\n \"scenario\": \"r2\",\n \"seeds\": [1, \"x\"],\n \"variants\": [],\n \"runs\": []\n}\n", "$.seeds[1]", 3, 6)]
    [InlineData("{\n \"scenario\": \"r2\",\n \"variants\": [],\n \"runsPerVariant\": 1e10\n}\n", "$.runsPerVariant", 4, 5)]
    [InlineData("""{ "scenario": "r2", "runsPerVariant": 1e10, "variants": [], "runs": [] }""", "$.runsPerVariant", 1, 1)]
    public void A_bad_value_of_a_property_set_after_the_constructor_is_refused_at_its_own_line(string text, string jsonPath, int line, int lineBefore)
    {
        using var scratch = new ScratchDirectory("replica-report-json-");
        var path = scratch.Write("report.json", text);

        var actual = Assert.Throws<ReplicaException>(() => VerificationReportJson.Read(path));
        var before = Assert.Throws<ReplicaException>(() => OracleRead(path));

        Assert.Equal(ReplicaErrorKind.BadInput, actual.Kind);
        Assert.StartsWith($"{path}:{line}: not a verify report (the JSON `replica verify --json` prints): The JSON value could not be converted to ", actual.Message);
        Assert.StartsWith($"{path}:{lineBefore}: not a verify report (the JSON `replica verify --json` prints): The JSON value could not be converted to ", before.Message);
        Assert.Contains($". Path: {jsonPath} | LineNumber: {line - 1} |", actual.Message);
        Assert.Contains($". Path: {jsonPath} | LineNumber: {lineBefore - 1} |", before.Message);
    }

    [Fact]
    public void A_file_that_cannot_be_read_is_refused_as_before()
    {
        using var scratch = new ScratchDirectory("replica-report-json-");
        var path = Path.Combine(scratch.Path, "missing.json");

        Assert.Equal(Outcome(() => OracleRead(path)), Outcome(() => VerificationReportJson.Read(path)));
    }

    /// <summary>What reading gave, as text: the report as the oracle writes it, or the refusal with its kind.</summary>
    private static string Outcome(Func<VerificationReport> read)
    {
        try
        {
            return JsonSerializer.Serialize(read(), Oracle);
        }
        catch (ReplicaException ex)
        {
            return $"refused ({ex.Kind}): {ex.Message}";
        }
        catch (Exception ex)
        {
            return $"threw {ex.GetType().Name}: {ex.Message}";
        }
    }

    /// <summary>VerificationReportJson.Read as it was, with the oracle's options.</summary>
    private static VerificationReport OracleRead(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ReplicaException($"{path}: cannot read it: {ex.Message}", kind: ReplicaErrorKind.BadInput);
        }
        VerificationReport? report;
        try
        {
            report = JsonSerializer.Deserialize<VerificationReport>(text, Oracle);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $"{path}:{line + 1}" : path;
            throw new ReplicaException($"{where}: not a verify report (the JSON `replica verify --json` prints): {ex.Message}", kind: ReplicaErrorKind.BadInput);
        }
        if (report is null || string.IsNullOrEmpty(report.Scenario) || report.Variants is null || report.Runs is null)
        {
            throw new ReplicaException($"{path}: not a verify report (the JSON `replica verify --json` prints): no scenario, variants and runs in it", kind: ReplicaErrorKind.BadInput);
        }
        return report;
    }

    private static VerificationReport Report(string which) => which switch
    {
        "full" => Full(),
        "sparse" => Sparse(),
        "parallelism given" => Sparse() with { Parallelism = ParallelismChoice.Given(1, 2, 0) },
        _ => throw new ArgumentOutOfRangeException(nameof(which), which, null),
    };

    /// <summary>Every field set: three variants (one with no runs: no observed rate), every outcome, probes, frames, a timeline, parallelism, calibration.</summary>
    private static VerificationReport Full()
    {
        var close = new FailureMode(FailureKind.WebSocketClosed, 1011, $"Service not ready: {Odd}");
        var timeout = new FailureMode(FailureKind.Timeout, AfterFrames: ["system_message", "ping é"]);
        var rejected = new FailureMode(FailureKind.HandshakeRejected, 503, null, []);
        ObservedFrame[] frames = [new(TimeSpan.FromMilliseconds(12.5), "in", "text", Odd), new(TimeSpan.FromSeconds(1), "out", "close")];
        var failedProbe = new ProbeObservation("ws <probe> é", TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2002.25), false, close, frames, Odd);
        var passedProbe = new ProbeObservation("http", TimeSpan.Zero, TimeSpan.FromTicks(1), true, null, []);
        TimelineEvent[] timeline =
        [
            new(TimeSpan.FromMilliseconds(900), TimeSpan.FromMilliseconds(1900), "faults", "fault", "startup_delay on backend_redis ≤ 1s"),
            new(TimeSpan.FromMilliseconds(1500.0001), null, "backend", "failure", Odd),
        ];
        RunResult[] runs =
        [
            new("baseline", 1, long.MaxValue, RunOutcome.Symptom, close, [failedProbe, passedProbe], timeline, TimeSpan.FromMilliseconds(1234.5678),
                null, ["line 1 é", "<line 2> & more", ""], "verify-r2-1", 42),
            new("baseline", 2, -7, RunOutcome.OtherFailure, timeout, [], [], TimeSpan.FromDays(1.5), Copy: "verify-r2-2", RunSeed: long.MinValue),
            new("baseline", 3, 1, RunOutcome.Passed, null, [passedProbe], [], TimeSpan.FromSeconds(2), Copy: "verify-r2-1", RunSeed: 0),
            new("baseline", 4, 1, RunOutcome.Passed, null, [passedProbe], [], TimeSpan.FromSeconds(2), Copy: "verify-r2-2", RunSeed: 3),
            new("baseline", 5, 1, RunOutcome.Passed, null, [passedProbe], [], TimeSpan.FromSeconds(2), Copy: "verify-r2-1", RunSeed: 4),
            new("fixed", 1, 0, RunOutcome.Error, null, [], [], TimeSpan.Zero, Error: $"could not restart: {Odd}"),
            new("fixed", 2, 3, RunOutcome.OtherFailure, rejected, [passedProbe], [], TimeSpan.FromSeconds(2)),
        ];
        var baseline = VariantSummary.From("baseline", VariantExpectation.Symptom, runs.Where(r => r.Variant == "baseline").ToList(), 0.5);
        var fixedOne = VariantSummary.From("fixed", VariantExpectation.Pass, runs.Where(r => r.Variant == "fixed").ToList(), 0.5);
        var none = VariantSummary.From("é ≤ <none> &", VariantExpectation.Symptom, [], 0.5);
        return new VerificationReport(Odd, $"incident {Odd}", "https://example.com/incidents/1?a=b&c=<d>", "close 1011 é", "process", 77,
            new DateTimeOffset(2024, 2, 29, 23, 59, 59, 123, TimeSpan.FromHours(5.5)).AddTicks(4567), TimeSpan.FromMinutes(3.25),
            TimeSpan.FromMilliseconds(812.3456), [baseline, fixedOne, none], runs)
        {
            RunsPerVariant = 5,
            Shards = ["1/2", "2/2"],
            Parallelism = ParallelismChoice.Default(2, 325_123_456, 20_000_000_000, 7),
            Copies = ["verify-r2-1", "verify-r2-2"],
            Machines = ["hôte-1", "<host 2>"],
            Seeds = [77, -1, long.MaxValue],
            Calibration = CalibrationCheck.From(2, 4, [baseline, fixedOne], [fixedOne with { Variant = "baseline" }, baseline with { Variant = "fixed" }]),
            MinimumSymptomRate = 0.5,
        };
    }

    /// <summary>What can be null is: no link, no parallelism, no calibration, no minimum rate; no variants, no runs.</summary>
    private static VerificationReport Sparse() =>
        new("r2", "", null, "", "docker", 0, DateTimeOffset.UnixEpoch, TimeSpan.Zero, TimeSpan.Zero, [], []);
}
