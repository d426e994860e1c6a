using Replica.Chaos.Scenarios;
using Replica.Chaos.Sweeps;
using Replica.Chaos.Scenarios.Steps;
using Replica.Environments.Compose;
using Replica.Environments.Errors;
using Replica.Tests.Support;

namespace Replica.Chaos.Tests.Sweeps;

/// <summary>PATH in the scenario's own terms, resolved into the shipped R2 scenario, and checked before anything starts.</summary>
public sealed class SweepPathTests
{
    private static readonly string R2 = Path.Combine(ScenarioFiles.Directory, "r2-websocket-1011-redis-late.yaml");

    private static SweepPlan Plan(params string[] varies)
    {
        var (scenario, _) = ScenarioLoader.Load(R2);
        return SweepPlan.Create(YamlFile.Load(R2), null, scenario, SweepDefinition.FromFlags(varies, null, null), null);
    }

    [Theory]
    [InlineData("timeline[3].after", SweepValueKind.Duration, true)]
    [InlineData("timeline.redis-not-ready.for", SweepValueKind.Duration, false)]
    [InlineData("timeline.redis-not-ready.toxic.attributes.delay", SweepValueKind.Number, true)]
    [InlineData("settings.backend.REDIS_READY_RETRY_INTERVAL", SweepValueKind.Duration, true)]
    [InlineData("settings.backend.REDIS_READY_RETRIES", SweepValueKind.Number, true)]
    [InlineData("variants.fixed.settings.backend.REDIS_READY_TIMEOUT", null, false)]
    [InlineData("probes[0].websocket.frame_timeout", SweepValueKind.Duration, true)]
    public void Paths_in_the_files_own_terms_lead_to_the_value_and_its_kind(string path, SweepValueKind? kind, bool exists)
    {
        var target = SweepPathResolver.Resolve(YamlFile.Load(R2), SweepPath.Parse(path, "--vary"), "--vary");

        Assert.Equal(kind, target.Kind);
        Assert.Equal(exists, target.Exists);
        Assert.EndsWith("r2-websocket-1011-redis-late.yaml", target.Location.File);
        Assert.True(target.Location.Line > 0);
    }

    [Fact]
    public void The_swept_value_lands_in_the_typed_model_and_the_file_is_left_as_it_was()
    {
        var plan = Plan("timeline[3].after=0ms..1s/500ms");

        var at = plan.Scenarios.At([1234], "test");
        var again = plan.Scenarios.At([900], "test");

        Assert.Equal(TimeSpan.FromMilliseconds(1234), at.Timeline[3].After);
        Assert.Equal(TimeSpan.FromMilliseconds(900), again.Timeline[3].After);
        Assert.Equal(TimeSpan.FromMilliseconds(900), ScenarioLoader.Read(YamlFile.Load(R2)).Scenario.Timeline[3].After);
    }

    [Fact]
    public void A_setting_for_one_variant_is_added_to_that_variant_only()
    {
        var plan = Plan("variants.fixed.settings.backend.REDIS_READY_TIMEOUT=1s,2s");

        var scenario = plan.Scenarios.At([1500], "test");

        Assert.Equal("1500ms", scenario.SettingsFor(scenario.Variant("fixed"))["backend"]["REDIS_READY_TIMEOUT"]);
        Assert.Equal("60s", scenario.SettingsFor(scenario.Variant("seed-fix"))["backend"]["REDIS_READY_TIMEOUT"]);
        Assert.False(scenario.SettingsFor(scenario.Variant("baseline"))["backend"].ContainsKey("REDIS_READY_TIMEOUT"));
        Assert.Equal(SweepValueKind.Duration, plan.Axes[0].Kind);
    }

    [Fact]
    public void An_unknown_path_names_the_flag_and_the_nearest_valid_paths()
    {
        var error = Assert.Throws<ReplicaException>(() => Plan("timeline.redis-not-redy.for=0ms..1s/100ms"));

        Assert.Equal(ReplicaErrorKind.BadInput, error.Kind);
        Assert.StartsWith("--vary timeline.redis-not-redy.for=0ms..1s/100ms: unknown path", error.Message);
        Assert.Contains("has no entry named 'redis-not-redy'", error.Message);
        Assert.Contains("nearest valid paths: timeline.redis-not-ready.for", error.Message);
    }

    [Fact]
    public void A_value_that_is_not_a_number_or_duration_cannot_be_swept_and_its_line_is_named()
    {
        var error = Assert.Throws<ReplicaException>(() => Plan("variants.baseline.settings.backend.R2_WEBSOCKET_READINESS=1..2/1"));

        Assert.Matches(@"r2-websocket-1011-redis-late\.yaml:\d+:\d+: .*is 'seed', not a number or a duration", error.Message);
    }

    [Fact]
    public void A_range_that_makes_a_step_impossible_is_refused_with_the_line_of_the_step_before_anything_runs()
    {
        var error = Assert.Throws<ReplicaException>(() => Plan("timeline.redis-not-ready.for=0ms..1s/500ms"));

        Assert.Equal(ReplicaErrorKind.BadInput, error.Kind);
        Assert.Contains("--vary timeline.redis-not-ready.for=0ms..1s/500ms: with timeline.redis-not-ready.for=0ms the scenario is not valid", error.Message);
        Assert.Contains("for: must be longer than 0", error.Message);
    }

    [Fact]
    public void The_shipped_sweeps_read_with_their_expectations()
    {
        var sweeps = SweepFileReader.Read(YamlFile.Load(R2));

        Assert.Equal(["redis-lateness", "ready-timeout"], sweeps.Keys.Order(StringComparer.Ordinal).Reverse().ToArray());
        var (scenario, _) = ScenarioLoader.Load(R2);
        var lateness = SweepPlan.Create(YamlFile.Load(R2), null, scenario, sweeps["redis-lateness"], null);
        Assert.True(lateness.Adaptive);
        Assert.Equal(3, lateness.Expectations.Count);
        var timeout = SweepPlan.Create(YamlFile.Load(R2), null, scenario, sweeps["ready-timeout"], null);
        Assert.Equal(TimeSpan.FromSeconds(1), timeout.Scenarios.At([700], "test").Timeline[3].After);
    }
}
