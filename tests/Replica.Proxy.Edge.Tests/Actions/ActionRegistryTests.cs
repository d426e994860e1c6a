using System.Net;
using System.Text.Json.Nodes;
using Replica.Proxy.Edge.Faults;
using Replica.Proxy.Edge.Faults.Actions;
using Replica.Proxy.Edge.Faults.Parsing;
using Replica.Tests.Support;

namespace Replica.Proxy.Edge.Tests.Actions;

/// <summary>The registry of edge actions drives the parser, the writer, validation and RULES.md; nothing else lists actions.</summary>
public sealed class ActionRegistryTests
{
    public static TheoryData<string> RegisteredNames() => [.. FaultActionRegistry.BuiltIn.Kinds.Select(k => k.Name)];

    [Fact]
    public void Every_action_type_of_the_proxy_is_registered_once()
    {
        var actionTypes = typeof(FaultAction).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(FaultAction)) && !t.IsAbstract)
            .ToList();

        Assert.NotEmpty(actionTypes);
        foreach (var type in actionTypes)
        {
            var kinds = FaultActionRegistry.BuiltIn.Kinds.Where(k => k.ActionType == type).ToList();
            Assert.True(kinds.Count == 1, $"{type.Name} has {kinds.Count} registrations in FaultActionRegistry.BuiltIn; add its Definition there, once");
        }
        Assert.Equal(actionTypes.Count, FaultActionRegistry.BuiltIn.Kinds.Count);
    }

    [Theory]
    [MemberData(nameof(RegisteredNames))]
    public void Every_example_of_an_action_parses_and_writes_back_to_the_same_value(string name)
    {
        var kind = FaultActionRegistry.BuiltIn.Find(name)!;
        Assert.NotEmpty(kind.Examples);
        foreach (var example in kind.Examples)
        {
            var parsed = FaultRuleParser.Parse($$$"""{"action":{"{{{name}}}":{{{example}}}}}""");
            Assert.True(parsed.Succeeded, $"{name} example {example}: {string.Join("; ", parsed.Errors)}");
            var rule = parsed.Rules.Single();
            Assert.Same(kind, rule.Action.Descriptor);
            Assert.IsType(kind.ActionType, rule.Action);

            var reparsed = FaultRuleParser.Parse(FaultRuleWriter.Write(rule).ToJsonString());

            Assert.True(reparsed.Succeeded, string.Join("; ", reparsed.Errors));
            Assert.Equal(rule, reparsed.Rules.Single());
        }
    }

    [Theory]
    [MemberData(nameof(RegisteredNames))]
    public void An_action_reads_exactly_the_fields_it_declares(string name)
    {
        var kind = FaultActionRegistry.BuiltIn.Find(name)!;
        // Every declared field present (null: as if absent) and one more: only the extra one is unknown. A field the
        // action reads without declaring it throws while parsing.
        var body = new JsonObject(kind.Fields.Select(f => new KeyValuePair<string, JsonNode?>(f.Name, null))) { ["surplus"] = 1 };

        var result = FaultRuleParser.Parse(new JsonObject { ["action"] = new JsonObject { [name] = body } }.ToJsonString());

        var unknown = result.Errors.Where(e => e.Message.StartsWith("unknown field", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"action.{name}.surplus: unknown field; expected {kind.FieldList}"], unknown.Select(e => e.ToString()));
    }

    [Fact]
    public void An_unknown_action_is_an_error_naming_every_registered_one_never_a_fallback()
    {
        var result = FaultRuleParser.Parse("""{"action":{"teapot":{"cups":2}}}""");

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal("action.teapot", error.Field);
        Assert.Equal($"unknown action 'teapot'; expected one of {FaultActionRegistry.BuiltIn.Names}", error.Message);
        Assert.Equal(string.Join(", ", FaultActionRegistry.BuiltIn.Kinds.Select(k => k.Name)), FaultActionRegistry.BuiltIn.Names);
    }

    [Fact]
    public void A_name_registered_twice_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => FaultActionRegistry.BuiltIn.With(TeapotAction.Definition, TeapotAction.Definition));

        Assert.Contains("two action kinds are named 'teapot'", error.Message);
    }

    [Fact]
    public void A_new_action_in_one_file_and_one_registration_line_is_parsed_written_validated_and_documented()
    {
        var registry = FaultActionRegistry.BuiltIn.With(TeapotAction.Definition);

        // Parser: the registry finds it, its kind reads its body.
        var parsed = FaultRuleParser.Parse("""{"id":"tea","match":{"route":"backend"},"action":{"teapot":{"cups":3}}}""", registry);
        Assert.True(parsed.Succeeded, string.Join("; ", parsed.Errors));
        var rule = parsed.Rules.Single();
        Assert.Equal(new TeapotAction(3), rule.Action);

        // Writer: its kind writes the body back, and it reads back to the same rule.
        var written = FaultRuleWriter.Write(rule);
        Assert.Equal("""{"cups":3}""", written["action"]!["teapot"]!.ToJsonString());
        Assert.Equal(rule, FaultRuleParser.Parse(written.ToJsonString(), registry).Rules.Single());

        // Validation: one check for JSON and C#, with the field path; unknown fields name the declared ones.
        Assert.Equal(["action.teapot.cups: must be between 1 and 9"],
            FaultRuleParser.Parse("""{"action":{"teapot":{"cups":12}}}""", registry).Errors.Select(e => e.ToString()));
        Assert.Equal(["action.teapot.cups: is required", "action.teapot.mugs: unknown field; expected cups"],
            FaultRuleParser.Parse("""{"action":{"teapot":{"mugs":1}}}""", registry).Errors.Select(e => e.ToString()));
        Assert.Equal(["action.teapot.cups: must be between 1 and 9"], FaultRule.Create(new TeapotAction(0)).Validate().Select(e => e.ToString()));

        // Docs: its row, from its kind.
        var table = FaultActionDocs.Table(registry.Kinds.Where(k => !k.ActsOnFrames));
        Assert.Contains("| teapot | `{\"teapot\":{\"cups\":2}}` | `cups` (required): whole number 1–9; how many cups the teapot claims to hold | answers 418 with `X-Cups`; the upstream never sees the request |", table);
        Assert.DoesNotContain("teapot", FaultActionDocs.Table(registry.Kinds.Where(k => k.ActsOnFrames)));

        // The built-in registry is untouched.
        Assert.Null(FaultActionRegistry.BuiltIn.Find("teapot"));
    }

    [Fact]
    public async Task A_new_action_acts_on_real_traffic_with_nothing_else_to_change()
    {
        await using var h = await ProxyHarness.StartAsync();
        h.Proxy.Rules.Add(FaultRule.Create(new TeapotAction(2), id: "tea"));

        using var response = await h.Http.GetAsync("/api/x");

        Assert.Equal((HttpStatusCode)418, response.StatusCode);
        Assert.Equal("2", response.Headers.GetValues("X-Cups").Single());
        Assert.Equal(0, h.Backend.HttpRequests);
        Assert.Equal(1, h.Proxy.Counters.FaultsByRule["tea"]);
        Assert.Contains(h.Log.Lines, l => l.Contains("fault teapot rule=tea"));
        var invalid = Assert.Throws<ArgumentException>(() => h.Proxy.Rules.Add(FaultRule.Create(new TeapotAction(10))));
        Assert.Contains("action.teapot.cups: must be between 1 and 9", invalid.Message);
    }

    [Fact]
    public void The_tables_of_actions_in_RULES_md_are_the_registry_s()
    {
        var path = Path.Combine(RepositoryPaths.Root, "proxy", "Replica.Proxy.Edge", "RULES.md");
        var current = File.ReadAllText(path);

        var expected = FaultActionDocs.Update(current, FaultActionRegistry.BuiltIn);

        if (expected != current && Environment.GetEnvironmentVariable("REPLICA_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, expected);
            return;
        }
        Assert.True(expected == current,
            $"{path} disagrees with FaultActionRegistry (rerun with REPLICA_UPDATE_DOCS=1 to rewrite it). Expected tables:\n"
            + FaultActionDocs.Table(FaultActionRegistry.BuiltIn.Kinds.Where(k => !k.ActsOnFrames)) + "\n"
            + FaultActionDocs.Table(FaultActionRegistry.BuiltIn.Kinds.Where(k => k.ActsOnFrames)));
    }
}
