using System.Text.Json;
using Replica.Tests.Support;

namespace Replica.Chaos.Tests;

/// <summary>The shipped JSON Schema, checked with Ajv (what editors and CI linters use) against the shipped scenarios.</summary>
public sealed class ScenarioSchemaTests : IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<List<JsonElement>> ValidateAsync(params string[] files)
    {
        var (code, output, error) = await NodeTools.RunAsync("validate-scenarios.mjs", [ScenarioFiles.Schema, .. files]);
        Assert.True(code == 0, $"ajv failed ({code}): {error}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    [Fact]
    public async Task Every_shipped_scenario_is_valid_against_the_schema()
    {
        var results = await ValidateAsync([.. ScenarioFiles.Shipped]);
        Assert.Equal(ScenarioFiles.Shipped.Count, results.Count);
        Assert.All(results, r => Assert.True(r.GetProperty("valid").GetBoolean(), r.ToString()));
    }

    [Fact]
    public async Task The_schema_rejects_what_the_loader_rejects()
    {
        var file = _dir.Write("bad.yaml", ScenarioFiles.Scratch(timeline: """
              - restrt: backend
            """, extra: "runs: many"));
        var result = Assert.Single(await ValidateAsync(file));
        Assert.False(result.GetProperty("valid").GetBoolean());
        var errors = result.GetProperty("errors").EnumerateArray().Select(e => (Path: e.GetProperty("path").GetString(), Message: e.GetProperty("message").GetString())).ToList();
        Assert.Contains(errors, e => e.Path == "/runs" && e.Message == "must be integer");
        Assert.Contains(errors, e => e.Path == "/timeline/0" && e.Message == "must NOT have additional properties");
    }

    [Fact]
    public async Task X_notes_are_accepted_wherever_the_loader_accepts_them()
    {
        var yaml = ScenarioFiles.Scratch(
                timeline: """
                      - x-note: the late database
                        name: pg-late
                        toxic: { dependency: backend_postgres, type: startup_delay, attributes: { delay: 60000, mode: refuse }, x-why: refuse }
                      - restart: backend
                        wait: started
                      - probe: health
                      - after: 500ms
                        remove: pg-late
                    """,
                probes: """
                      - name: health
                        x-note: liveness only
                        health: { path: /health, status: 200, within: 3s, x-note: quick }
                    """,
                extra: "x-owner: platform")
            .Replace("  http: { status: 503 }", "  http: { status: 503, x-note: from the gateway }\n  x-note: seen in staging")
            .Replace("incident: { title: a scratch incident }", "incident: { title: a scratch incident, x-ticket: INC-1 }")
            .Replace("fixed: { expect: pass }", "fixed: { expect: pass, x-note: the fix }");
        var file = _dir.Write("notes.yaml", yaml);

        var (scenario, _) = Replica.Chaos.Scenarios.ScenarioLoader.Load(file);
        Assert.Equal(Replica.Chaos.Scenarios.SymptomKind.HttpStatus, scenario.Symptom.Kind);
        var result = Assert.Single(await ValidateAsync(file));
        Assert.True(result.GetProperty("valid").GetBoolean(), result.ToString());
    }

    [Fact]
    public async Task The_schema_rejects_a_symptom_of_only_x_notes()
    {
        var file = _dir.Write("nosymptom.yaml", ScenarioFiles.Scratch().Replace("  http: { status: 503 }", "  x-note: 1"));

        var result = Assert.Single(await ValidateAsync(file));

        Assert.False(result.GetProperty("valid").GetBoolean());
    }
}
