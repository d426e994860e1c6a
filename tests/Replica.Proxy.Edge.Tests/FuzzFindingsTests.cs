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
}
