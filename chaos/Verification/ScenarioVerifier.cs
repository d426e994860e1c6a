using System.Diagnostics;
using Replica.Chaos.Scenarios;
using Replica.Environments.Proxied;

namespace Replica.Chaos.Verification;

/// <summary>
/// `replica verify`: every chosen variant run N times — on one environment (reused, restored between runs), or spread
/// over the copies of an <see cref="EnvironmentPool"/> — then per variant the failure counts by mode, the 95 % interval
/// and the verdict (a symptom variant showing the symptom in fewer than <c>minimumSymptomRate</c> of its runs is
/// <see cref="Verdict.TooRare"/>).
/// </summary>
public static class ScenarioVerifier
{
    public static async Task<VerificationReport> VerifyAsync(
        ReplicaEnvironment environment,
        Scenario scenario,
        IReadOnlyList<ScenarioVariant> variants,
        int runs,
        TimeSpan environmentStart,
        string runtime,
        Action<RunResult>? onRun,
        CancellationToken cancellationToken,
        double? minimumSymptomRate = null)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var results = new List<RunResult>();
        using var runner = new ScenarioRunner(environment, scenario);
        foreach (var variant in variants)
        {
            for (var i = 1; i <= runs; i++)
            {
                var result = await runner.RunAsync(variant, i, cancellationToken);
                result = result with { Copy = environment.Name, RunSeed = RunSeeds.For(environment.Seed, variant.Name, i) };
                results.Add(result);
                onRun?.Invoke(result);
            }
        }
        return Report(scenario, variants, results, runtime, environment.Seed, started, clock.Elapsed + environmentStart, environmentStart, minimumSymptomRate) with
        {
            RunsPerVariant = runs,
            Copies = [environment.Name],
        };
    }

    /// <summary>
    /// This shard's runs of every variant (all of them for <see cref="Shard.All"/>), spread over the pool's copies.
    /// </summary>
    public static async Task<VerificationReport> VerifyAsync(
        EnvironmentPool pool,
        Scenario scenario,
        IReadOnlyList<ScenarioVariant> variants,
        int runs,
        Shard shard,
        TimeSpan environmentStart,
        string runtime,
        Action<RunResult>? onRun,
        CancellationToken cancellationToken,
        double? minimumSymptomRate = null)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var results = await pool.RunAllAsync(shard.Plan(variants, runs), onRun, cancellationToken);
        return Report(scenario, variants, results, runtime, pool.ScenarioSeed, started, clock.Elapsed + environmentStart, environmentStart, minimumSymptomRate) with
        {
            RunsPerVariant = runs,
            Shards = [shard.ToString()],
            Copies = pool.Copies.Select(c => c.Name).ToList(),
        };
    }

    /// <summary>
    /// The report of a set of runs: one summary per variant over its runs, as one verify of them all would give (what
    /// `report merge` uses on the runs of every shard).
    /// </summary>
    public static VerificationReport Report(
        Scenario scenario, IReadOnlyList<ScenarioVariant> variants, IReadOnlyList<RunResult> results, string runtime, long seed,
        DateTimeOffset started, TimeSpan duration, TimeSpan environmentStart, double? minimumSymptomRate) =>
        Summarise(scenario.Name, scenario.Incident.Title, scenario.Incident.Link, scenario.Symptom.ToString(), runtime, seed,
            variants.Select(v => (v.Name, v.Expectation)).ToList(), results, started, duration, environmentStart, minimumSymptomRate);

    /// <summary><see cref="Report"/> from the report's own fields (no scenario file needed).</summary>
    public static VerificationReport Summarise(
        string scenario, string incident, string? incidentLink, string symptom, string runtime, long seed,
        IReadOnlyList<(string Name, VariantExpectation Expectation)> variants, IReadOnlyList<RunResult> results,
        DateTimeOffset started, TimeSpan duration, TimeSpan environmentStart, double? minimumSymptomRate)
    {
        var summaries = variants
            .Select(v => VariantSummary.From(v.Name, v.Expectation, results.Where(r => r.Variant == v.Name).ToList(), minimumSymptomRate))
            .ToList();
        return new VerificationReport(scenario, incident, incidentLink, symptom, runtime, seed, started, duration, environmentStart, summaries, results)
        {
            Machines = [System.Environment.MachineName],
            Seeds = [seed],
            MinimumSymptomRate = minimumSymptomRate,
        };
    }
}
