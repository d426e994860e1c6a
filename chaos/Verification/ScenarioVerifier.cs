using System.Diagnostics;
using Replica.Chaos.Scenarios;
using Replica.Environments.Proxied;

namespace Replica.Chaos.Verification;

/// <summary>
/// `replica verify`: every chosen variant run N times against one environment (reused, restored between runs), then
/// per variant the failure counts by mode, the 95 % interval and the verdict (a symptom variant showing the symptom in
/// fewer than <c>minimumSymptomRate</c> of its runs is <see cref="Verdict.TooRare"/>).
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
                results.Add(result);
                onRun?.Invoke(result);
            }
        }
        var summaries = variants
            .Select(v => VariantSummary.From(v.Name, v.Expectation, results.Where(r => r.Variant == v.Name).ToList(), minimumSymptomRate))
            .ToList();
        return new VerificationReport(
            scenario.Name,
            scenario.Incident.Title,
            scenario.Incident.Link,
            scenario.Symptom.ToString(),
            runtime,
            environment.Seed,
            started,
            clock.Elapsed + environmentStart,
            environmentStart,
            summaries,
            results);
    }
}
