using Replica.Chaos.Probes;
using Replica.Chaos.Scenarios;
using Replica.Chaos.Verification;

namespace Replica.Chaos.Tests;

public sealed class VariantSummaryTests
{
    private static readonly FailureMode Close1011 = new(FailureKind.WebSocketClosed, 1011, "Service not ready: redis");
    private static readonly FailureMode Refused = new(FailureKind.ConnectionRefused);

    private static List<RunResult> Runs(int symptom, int other, int passed, int errors = 0)
    {
        var runs = new List<RunResult>();
        void Add(RunOutcome outcome, FailureMode? mode) =>
            runs.Add(new RunResult("v", runs.Count + 1, 1, outcome, mode, [], [], TimeSpan.FromSeconds(1)));
        for (var i = 0; i < symptom; i++) Add(RunOutcome.Symptom, Close1011);
        for (var i = 0; i < other; i++) Add(RunOutcome.OtherFailure, Refused);
        for (var i = 0; i < passed; i++) Add(RunOutcome.Passed, null);
        for (var i = 0; i < errors; i++) Add(RunOutcome.Error, null);
        return runs;
    }

    [Fact]
    public void All_twenty_runs_failing_as_staging_did_is_reproduced()
    {
        var summary = VariantSummary.From("baseline", VariantExpectation.Symptom, Runs(20, 0, 0));
        Assert.Equal(Verdict.Reproduced, summary.Verdict);
        Assert.True(summary.ExpectationHeld);
        Assert.Equal(20, summary.FailureModes["close 1011 \"Service not ready: redis\""]);
        Assert.StartsWith("reproduced: 20/20 runs showed the symptom (83.9–100.0 %)", summary.Describe());
    }

    [Fact]
    public void A_symptom_seen_now_and_then_is_still_reproduced_and_its_rate_says_how_reliably()
    {
        var summary = VariantSummary.From("baseline", VariantExpectation.Symptom, Runs(4, 0, 16));
        Assert.Equal(Verdict.Reproduced, summary.Verdict);
        Assert.Equal("reproduced: 4/20 runs showed the symptom (8.1–41.6 %)", summary.Describe());
    }

    [Fact]
    public void Without_a_single_completed_run_nothing_can_be_said()
    {
        Assert.Equal(Verdict.Inconclusive, VariantSummary.From("baseline", VariantExpectation.Symptom, Runs(0, 0, 0, errors: 3)).Verdict);
        Assert.Equal(Verdict.Inconclusive, VariantSummary.From("fixed", VariantExpectation.Pass, Runs(0, 0, 0, errors: 3)).Verdict);
    }

    [Fact]
    public void Failures_of_another_kind_do_not_count_as_reproducing_the_incident()
    {
        var summary = VariantSummary.From("baseline", VariantExpectation.Symptom, Runs(0, 20, 0));
        Assert.Equal(Verdict.NotReproduced, summary.Verdict);
        Assert.Equal(20, summary.FailureModes["connection refused"]);
    }

    [Fact]
    public void Zero_failures_out_of_twenty_is_fixed_with_its_upper_bound()
    {
        var summary = VariantSummary.From("fixed", VariantExpectation.Pass, Runs(0, 0, 20));
        Assert.Equal(Verdict.Fixed, summary.Verdict);
        Assert.True(summary.ExpectationHeld);
        Assert.Equal("fixed: 0/20 runs failed (95 % upper bound 16.1 %)", summary.Describe());
    }

    [Fact]
    public void One_failure_of_any_kind_means_not_fixed()
    {
        Assert.Equal(Verdict.NotFixed, VariantSummary.From("fixed", VariantExpectation.Pass, Runs(0, 1, 19)).Verdict);
        Assert.Equal(Verdict.NotFixed, VariantSummary.From("fixed", VariantExpectation.Pass, Runs(1, 0, 19)).Verdict);
    }

    [Fact]
    public void Runs_that_could_not_be_carried_out_make_a_clean_result_inconclusive()
    {
        var summary = VariantSummary.From("fixed", VariantExpectation.Pass, Runs(0, 0, 18, errors: 2));
        Assert.Equal(Verdict.Inconclusive, summary.Verdict);
        Assert.Contains("2 run(s) could not be carried out", summary.Describe());
    }
}
