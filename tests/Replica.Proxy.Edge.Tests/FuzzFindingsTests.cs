using Replica.Proxy.Edge.Faults.Parsing;

namespace Replica.Proxy.Edge.Tests;

/// <summary>What the fuzz tier found in the edge proxy's rules, kept as ordinary (fast tier) regression tests.</summary>
public sealed class FuzzFindingsTests
{
    [Fact]
    public void An_empty_on_frame_trigger_is_written_back_and_parses_again()
    {
        var parsed = FaultRuleParser.Parse("""{"action":{"frameInject":{"text":"x","onFrame":{}}}}""");

        var again = FaultRuleParser.Parse(FaultRuleWriter.Write(parsed.Rules.Single()).ToJsonString());

        Assert.True(again.Succeeded, string.Join("; ", again.Errors));
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public void A_dot_segment_is_not_an_id_since_DELETE_rules_ID_could_not_address_it(string id)
    {
        var parsed = FaultRuleParser.Parse("{\"id\":\"" + id + "\",\"action\":{\"reset\":{}}}");

        Assert.Equal(["id: must be 1 to 100 characters of letters, digits, '-', '_' or '.', other than '.' and '..'"], parsed.Errors.Select(e => e.ToString()));
        Assert.True(FaultRuleParser.Parse("""{"id":"a.b","action":{"reset":{}}}""").Succeeded);
    }
}
