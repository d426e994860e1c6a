using System.Text.Json;
using System.Text.Json.Nodes;
using Replica.Chaos.Scenarios.Steps;
using Replica.Proxy.Tcp.Toxics;
using Replica.Tests.Support;

namespace Replica.Chaos.Tests;

/// <summary>
/// The scenario JSON Schema and the docs' table of steps follow the registries — step kinds (StepKinds), toxic types
/// (ToxicKinds), edge actions (EdgeActionNames): when one is changed and not the other, these fail and print the text
/// to paste.
/// </summary>
public sealed class StepRegistryTests
{
    private static JsonObject StepSchema() =>
        JsonNode.Parse(File.ReadAllText(ScenarioFiles.Schema))!["$defs"]!["step"]!.AsObject();

    private static string Json(IEnumerable<string> names) => JsonSerializer.Serialize(names);

    [Fact]
    public void The_schema_offers_exactly_the_registered_step_kinds_one_per_step()
    {
        var step = StepSchema();
        var oneOf = step["oneOf"]!.AsArray().Select(o => o!["required"]!.AsArray().Single()!.GetValue<string>()).ToList();
        var properties = step["properties"]!.AsObject().Select(p => p.Key).Where(k => k is not ("name" or "at" or "after" or "for" or "wait")).ToList();

        var expectedOneOf = string.Join(", ", StepKinds.Keys.Select(k => $"{{ \"required\": [\"{k}\"] }}"));
        Assert.True(StepKinds.Keys.SequenceEqual(oneOf), $"scenario.schema.json $defs.step.oneOf should be: [{expectedOneOf}]");
        Assert.True(StepKinds.Keys.Order().SequenceEqual(properties.Order()),
            $"scenario.schema.json $defs.step.properties should have one entry per step kind besides the timing keys: {Json(StepKinds.Keys)}; it has {Json(properties)}");
    }

    [Fact]
    public void The_schema_lists_the_registered_toxic_types_and_edge_actions()
    {
        var properties = StepSchema()["properties"]!;
        var toxicTypes = properties["toxic"]!["properties"]!["type"]!["enum"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        var actions = properties["edge_rule"]!["properties"]!["action"]!["propertyNames"]!["enum"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();

        Assert.True(ToxicKinds.Names.Order().SequenceEqual(toxicTypes.Order()),
            $"scenario.schema.json toxic.type.enum should be {Json(ToxicKinds.Names)}; it is {Json(toxicTypes)}");
        Assert.True(EdgeActionNames.All.Order().SequenceEqual(actions.Order()),
            $"scenario.schema.json edge_rule.action.propertyNames.enum should be {Json(EdgeActionNames.All)}; it is {Json(actions)}");
    }

    [Fact]
    public void The_docs_table_of_steps_is_the_one_the_registry_writes()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "scenario-steps.md"));
        const string begin = "<!-- steps:begin -->\n", end = "<!-- steps:end -->";
        var start = doc.IndexOf(begin, StringComparison.Ordinal);
        var stop = doc.IndexOf(end, StringComparison.Ordinal);
        Assert.True(start >= 0 && stop > start, $"docs/scenario-steps.md lacks the markers {begin.Trim()} … {end}");

        var expected = StepKindsTable.Markdown();
        Assert.True(doc[(start + begin.Length)..stop] == expected, $"docs/scenario-steps.md: between the markers should be:\n{expected}");
    }

    [Fact]
    public void Every_step_kind_has_its_own_key_and_class_and_reads_through_the_registry()
    {
        Assert.Equal(StepKinds.Keys.Count, StepKinds.Keys.Distinct().Count());
        Assert.All(StepKinds.All, k => Assert.Same(k, StepKinds.Find(k.Key)));
        Assert.Null(StepKinds.Find("edge"));
    }
}
