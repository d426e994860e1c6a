using Replica.Testing;

namespace Replica.Testing.Tests.Examples;

/// <summary>A shipped scenario verified from a test, against the collection's environment (reused, not rebuilt).</summary>
[Collection(StagingCollection.Name)]
public sealed class ScenarioExamples(StagingEnvironment staging)
{
    [Fact]
    public async Task The_r2_race_reproduces_under_the_seed_code_and_not_under_the_fix()
    {
        var scenario = ComposeFileLocator.Nearest("chaos/scenarios/r2-websocket-1011-redis-late.yaml");

        var report = await ScenarioRuns.VerifyAsync(staging.Environment, scenario, runs: 2, variants: ["baseline", "fixed"]);

        ReplicaAssert.Reproduced(report.Variants.Single(v => v.Variant == "baseline"));
        ReplicaAssert.Fixed(report.Variants.Single(v => v.Variant == "fixed"));
        ReplicaAssert.ExpectationsHeld(report);
    }
}
