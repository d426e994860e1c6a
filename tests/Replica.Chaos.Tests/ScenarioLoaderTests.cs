using Replica.Chaos.Scenarios;
using Replica.Chaos.Scenarios.Steps;
using Replica.Environments.Errors;
using Replica.Tests.Support;

namespace Replica.Chaos.Tests;

public sealed class ScenarioLoaderTests : IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ConfigurationException Reject(string yaml) =>
        Assert.Throws<ConfigurationException>(() => ScenarioLoader.Load(_dir.Write("scenario.yaml", yaml)));

    private static IReadOnlyList<(int Line, int Column, string Message)> Problems(ConfigurationException e) =>
        e.Problems.Select(p => (p.Location.Line, p.Location.Column, p.Message)).ToList();

    [Fact]
    public void The_shipped_scenarios_load_with_three_variants_each()
    {
        foreach (var file in ScenarioFiles.Shipped)
        {
            var (scenario, topology) = ScenarioLoader.Load(file);
            Assert.Equal(Path.GetFileNameWithoutExtension(file), scenario.Name);
            Assert.Equal(["baseline", "seed-fix", "fixed"], scenario.Variants.Select(v => v.Name));
            Assert.Equal([VariantExpectation.Symptom, VariantExpectation.Symptom, VariantExpectation.Pass], scenario.Variants.Select(v => v.Expectation));
            Assert.NotEmpty(scenario.Probes);
            Assert.Contains(scenario.Timeline, s => s is RestartStep { Service: "backend" });
            Assert.All(new[] { scenario.Incident.Seen, scenario.Incident.Tried, scenario.Incident.WhyItFailed, scenario.Incident.Fix },
                story => Assert.False(string.IsNullOrWhiteSpace(story), $"{file}: the incident's story (seen, tried, why_it_failed, fix)"));
            Assert.Empty(scenario.Warnings);
            Assert.Equal("replica", topology.Name);
        }
    }

    [Fact]
    public void A_scratch_scenario_loads_and_its_steps_keep_their_order()
    {
        var (scenario, _) = ScenarioLoader.Load(_dir.Write("scenario.yaml", ScenarioFiles.Scratch()));
        Assert.Collection(scenario.Timeline,
            s => Assert.Equal("startup_delay on backend_postgres", s.Describe()),
            s => Assert.Equal(new RestartStep(StepTiming.Next(s.Location), "backend", ServiceWait.Started), s),
            s => Assert.Equal("probe health", s.Describe()),
            s => Assert.Equal((TimeSpan.FromMilliseconds(500), "remove pg-late"), (s.After, s.Describe())));
        Assert.Equal("seed", scenario.SettingsFor(scenario.Variant("baseline"))["backend"]["R1_DATABASE_MANAGER"]);
    }

    [Fact]
    public void A_typo_in_a_key_is_reported_at_its_line_and_column_with_a_suggestion()
    {
        var yaml = ScenarioFiles.Scratch(timeline: """
              - restrt: backend
            """);
        var problems = Problems(Reject(yaml));
        var line = yaml.Split('\n').ToList().FindIndex(l => l.Contains("restrt")) + 1;
        Assert.Contains(problems, p => p.Line == line && p.Column == 5 && p.Message.Contains("unknown key 'restrt'") && p.Message.Contains("did you mean 'restart'"));
    }

    [Fact]
    public void A_wrong_type_is_reported_with_what_was_expected()
    {
        var problems = Problems(Reject(ScenarioFiles.Scratch(extra: "runs: many")));
        Assert.Contains(problems, p => p.Message == "runs: expected a whole number from 1 to 10000, found 'many'");
    }

    [Fact]
    public void An_unknown_edge_or_service_is_named_with_the_ones_that_exist()
    {
        var problems = Problems(Reject(ScenarioFiles.Scratch(timeline: """
              - toxic: { edge: backend_redsi, type: latency, attributes: { latency: 100 } }
              - restart: backnd
            """)));
        Assert.Contains(problems, p => p.Message.Contains("unknown dependency 'backend_redsi' (did you mean 'backend_redis'?)") && p.Message.Contains("backend_auth, backend_postgres, backend_redis"));
        Assert.Contains(problems, p => p.Message.Contains("unknown service 'backnd' (did you mean 'backend'?)"));
    }

    [Fact]
    public void Impossible_timelines_are_rejected_before_anything_starts()
    {
        var problems = Problems(Reject(ScenarioFiles.Scratch(timeline: """
              - at: 2s
                resume: backend
              - at: 1s
                pause: redis
              - remove: nothing-by-that-name
              - restart: backend
                for: 1s
              - probe: helth
            """)));
        Assert.Contains(problems, p => p.Message == "impossible timeline: the step resumes backend, which is not paused then");
        Assert.Contains(problems, p => p.Message.StartsWith("impossible timeline: timeline[1] is at 1000 ms, before the step at 2000 ms above it"));
        Assert.Contains(problems, p => p.Message.StartsWith("impossible timeline: timeline[2] removes 'nothing-by-that-name'"));
        Assert.Contains(problems, p => p.Message.StartsWith("timeline[3].for: only pause and stop can be undone"));
        Assert.Contains(problems, p => p.Message.Contains("no probe called 'helth' (did you mean 'health'?)"));
    }

    [Fact]
    public void Toxics_and_edge_rules_are_checked_by_their_own_parsers_at_the_right_line()
    {
        var yaml = ScenarioFiles.Scratch(timeline: """
              - toxic: { edge: backend_redis, type: latency, attributes: { latency: -5 } }
              - edge_rule:
                  match: { path: /ws/** }
                  action:
                    delay: { ms: -1 }
            """);
        var problems = Problems(Reject(yaml));
        var ruleLine = yaml.Split('\n').ToList().FindIndex(l => l.Contains("ms: -1")) + 1;
        Assert.Contains(problems, p => p.Message.StartsWith("timeline[0].toxic:") && p.Message.Contains("latency"));
        Assert.Contains(problems, p => p.Line == ruleLine && p.Message.StartsWith("timeline[1].edge_rule.action.delay.ms:"));
    }

    [Fact]
    public void A_toxic_attribute_too_large_for_any_number_is_a_problem_naming_it()
    {
        var problems = Problems(Reject(ScenarioFiles.Scratch(timeline: """
              - toxic: { edge: backend_redis, type: latency, attributes: { latency: 1e400 } }
            """)));
        Assert.Contains(problems, p => p.Message.StartsWith("timeline[0].toxic:") && p.Message.Contains("attribute latency of latency must be an integer"));
    }

    [Fact]
    public void Unknown_services_in_settings_and_missing_required_parts_are_reported_together()
    {
        var error = Reject($"""
            name: Bad Name
            compose: {RepositoryPaths.ComposeFile}
            settings: {"{"} backendd: {"{"} X: "1" {"}"} {"}"}
            variants: {"{"} a: {"{"} expect: maybe {"}"} {"}"}
            """);
        var messages = error.Problems.Select(p => p.Message).ToList();
        Assert.Contains(messages, m => m.StartsWith("name: lower-case letters, digits and '-' only"));
        Assert.Contains(messages, m => m.Contains("unknown service 'backendd' (did you mean 'backend'?)"));
        Assert.Contains(messages, m => m == "scenario: 'incident' is required");
        Assert.Contains(messages, m => m == "scenario: 'symptom' is required");
        Assert.Contains(messages, m => m == "scenario: 'probes' is required");
        Assert.Contains(messages, m => m == "variants.a.expect: expected symptom or pass, found 'maybe'");
        Assert.Equal(ReplicaErrorKind.BadInput, error.Kind);
        Assert.All(error.Problems, p => Assert.EndsWith("scenario.yaml", p.Location.File));
    }

    [Fact]
    public void A_yaml_syntax_error_names_its_location_once()
    {
        var error = Reject("name: scratch\nincident:\n  title: x\n link: [\"y\"\n");

        var problem = Assert.Single(error.Problems);
        Assert.StartsWith("YAML syntax error: ", problem.Message);
        Assert.DoesNotContain("(Line", problem.Message);
        Assert.Matches(@"scenario\.yaml:4:\d+: YAML syntax error", error.Message);
    }

    [Fact]
    public void An_empty_file_says_so_as_for_compose()
    {
        var problem = Assert.Single(Reject("").Problems);
        Assert.Equal((1, 1, "the file is empty"), (problem.Location.Line, problem.Location.Column, problem.Message));
    }

    [Fact]
    public void Two_edge_rule_steps_with_the_same_id_are_rejected_at_the_second_id()
    {
        var yaml = ScenarioFiles.Scratch(timeline: """
              - edge_rule: { id: slow-ws, match: { path: /ws/** }, action: { delay: { ms: 100 } } }
                for: 1s
              - after: 2s
                edge_rule: { id: slow-ws, match: { path: /ws/** }, action: { delay: { ms: 200 } } }
            """);

        var problem = Assert.Single(Reject(yaml).Problems);
        var line = yaml.Split('\n').ToList().FindIndex(l => l.Contains("ms: 200")) + 1;
        Assert.Equal(line, problem.Location.Line);
        Assert.Equal("timeline[1].edge_rule.id: another edge_rule step above uses id 'slow-ws' (the edge proxy holds one rule per id)", problem.Message);
    }

    [Fact]
    public void An_x_note_under_symptom_is_not_a_kind()
    {
        var yaml = ScenarioFiles.Scratch().Replace("  http: { status: 503 }", "  http: { status: 503 }\n  x-note: seen in staging on 2024-03-01");

        var (scenario, _) = ScenarioLoader.Load(_dir.Write("scenario.yaml", yaml));

        Assert.Equal(SymptomKind.HttpStatus, scenario.Symptom.Kind);
    }

    [Fact]
    public void A_symptom_of_only_x_notes_is_rejected_not_loaded_without_a_symptom()
    {
        var yaml = ScenarioFiles.Scratch().Replace("  http: { status: 503 }", "  x-note: 1");

        var problem = Assert.Single(Reject(yaml).Problems);
        Assert.Equal("symptom: give exactly one of websocket_close, http or silence_after", problem.Message);
        Assert.Equal(yaml.Split('\n').ToList().FindIndex(l => l.Contains("x-note")) + 1, problem.Location.Line);
    }

    [Fact]
    public void The_old_edge_key_of_a_toxic_or_down_step_still_loads_and_is_reported_as_renamed_at_its_line()
    {
        var yaml = ScenarioFiles.Scratch(timeline: """
              - name: pg-late
                toxic: { edge: backend_postgres, type: startup_delay, attributes: { delay: 60000, mode: refuse } }
              - down: { edge: backend_redis }
                for: 1s
              - restart: backend
                wait: started
              - probe: health
              - after: 500ms
                remove: pg-late
            """);
        var lines = yaml.Split('\n').ToList();

        var (scenario, _) = ScenarioLoader.Load(_dir.Write("scenario.yaml", yaml));

        Assert.Equal(["startup_delay on backend_postgres", "backend_redis down"], scenario.Timeline.Take(2).Select(s => s.Describe()));
        Assert.Collection(scenario.Warnings,
            w => Assert.Equal((lines.FindIndex(l => l.Contains("toxic: { edge:")) + 1, "timeline[0].toxic.edge is renamed timeline[0].toxic.dependency (the old key still works; 'edge' now means only the edge proxy)"),
                (w.Location.Line, w.Message)),
            w => Assert.Equal((lines.FindIndex(l => l.Contains("down: { edge:")) + 1, "timeline[1].down.edge is renamed timeline[1].down.dependency (the old key still works; 'edge' now means only the edge proxy)"),
                (w.Location.Line, w.Message)));
        Assert.Empty(ScenarioLoader.Load(_dir.Write("new.yaml", ScenarioFiles.Scratch())).Scenario.Warnings);
    }

    [Fact]
    public void A_toxic_naming_both_dependency_and_edge_is_rejected()
    {
        var problem = Assert.Single(Reject(ScenarioFiles.Scratch(timeline: """
              - toxic: { dependency: backend_postgres, edge: backend_postgres, type: latency, attributes: { latency: 5 } }
            """)).Problems);

        Assert.Equal("timeline[0].toxic: give 'dependency' only ('edge' is its old name)", problem.Message);
    }

    [Fact]
    public void Wait_listening_and_an_await_step_are_read_and_awaiting_a_stopped_service_is_impossible()
    {
        var (scenario, _) = ScenarioLoader.Load(_dir.Write("scenario.yaml", ScenarioFiles.Scratch(timeline: """
              - restart: backend
                wait: listening
              - await: backend
              - probe: health
            """)));
        Assert.Equal(ServiceWait.Listening, Assert.IsType<RestartStep>(scenario.Timeline[0]).Wait);
        Assert.Equal(("backend", ServiceWait.Healthy), (Assert.IsType<AwaitStep>(scenario.Timeline[1]).Service, ((AwaitStep)scenario.Timeline[1]).Wait));

        var problems = Problems(Reject(ScenarioFiles.Scratch(timeline: """
              - stop: backend
              - await: backend
                wait: listening
              - restart: auth
                wait: soon
            """)));
        Assert.Contains(problems, p => p.Message == "impossible timeline: the step awaits backend, which is stopped then");
        Assert.Contains(problems, p => p.Message == "timeline[2].wait: expected healthy, listening or started, found 'soon'");
    }

    [Fact]
    public void A_probe_step_waits_for_a_websocket_to_open_only_when_asked_and_only_for_a_websocket_probe()
    {
        const string probes = """
              - name: health
                health: { path: /health, status: 200, within: 3s }
              - name: first-message
                websocket: { path: /ws, expect: [system_message] }
            """;
        var (scenario, _) = ScenarioLoader.Load(_dir.Write("scenario.yaml", ScenarioFiles.Scratch(timeline: """
              - probe: first-message
                wait: open
              - probe: health
            """, probes: probes)));
        Assert.Equal(ProbeWait.Open, Assert.IsType<ProbeStep>(scenario.Timeline[0]).Wait);
        Assert.Equal("probe first-message until open", scenario.Timeline[0].Describe());
        Assert.Equal(ProbeWait.Started, Assert.IsType<ProbeStep>(scenario.Timeline[1]).Wait);

        var problems = Problems(Reject(ScenarioFiles.Scratch(timeline: """
              - probe: health
                wait: open
              - probe: first-message
                wait: healthy
              - restart: backend
                wait: open
            """, probes: probes)));
        Assert.Contains(problems, p => p.Message == "timeline[0].wait: open is for a websocket probe; 'health' is not one");
        Assert.Contains(problems, p => p.Message == "timeline[1].wait: expected started or open, found 'healthy'");
        Assert.Contains(problems, p => p.Message == "timeline[2].wait: expected healthy, listening or started, found 'open'");
    }
}
