using Replica.Chaos.Scenarios;

namespace Replica.Chaos.Verification;

/// <summary>One variant's runs, counted: failures by mode, the 95 % interval of the failure rate, the verdict.</summary>
public sealed record VariantSummary(
    string Variant,
    VariantExpectation Expectation,
    int Runs,
    int Passed,
    int Symptoms,
    int OtherFailures,
    int Errors,
    IReadOnlyDictionary<string, int> FailureModes,
    WilsonInterval FailureRate,
    Verdict Verdict)
{
    public int Failures => Symptoms + OtherFailures;

    /// <summary>Did the variant do what the scenario says it should (reproduce the symptom, or pass every run)?</summary>
    public bool ExpectationHeld => Expectation == VariantExpectation.Symptom ? Verdict == Verdict.Reproduced : Verdict == Verdict.Fixed;

    public static VariantSummary From(string variant, VariantExpectation expectation, IReadOnlyList<RunResult> runs)
    {
        var symptoms = runs.Count(r => r.Outcome == RunOutcome.Symptom);
        var other = runs.Count(r => r.Outcome == RunOutcome.OtherFailure);
        var errors = runs.Count(r => r.Outcome == RunOutcome.Error);
        var passed = runs.Count(r => r.Outcome == RunOutcome.Passed);
        var completed = runs.Count - errors;
        var modes = runs.Where(r => r.FailureMode is not null)
            .GroupBy(r => r.FailureMode!.Label)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count());
        var counted = expectation == VariantExpectation.Symptom ? symptoms : symptoms + other;
        var interval = WilsonInterval.Of(counted, completed);
        var verdict = Decide(expectation, completed, errors, symptoms, symptoms + other, interval);
        return new VariantSummary(variant, expectation, runs.Count, passed, symptoms, other, errors, modes, interval, verdict);
    }

    private static Verdict Decide(VariantExpectation expectation, int completed, int errors, int symptoms, int failures, WilsonInterval interval)
    {
        if (completed == 0)
        {
            return Verdict.Inconclusive;
        }
        if (expectation == VariantExpectation.Symptom)
        {
            if (symptoms == 0 && errors == 0)
            {
                return Verdict.NotReproduced;
            }
            return interval.Low >= 0.5 ? Verdict.Reproduced : Verdict.Inconclusive;
        }
        if (failures > 0)
        {
            return Verdict.NotFixed;
        }
        return errors == 0 ? Verdict.Fixed : Verdict.Inconclusive;
    }

    /// <summary>One line for people: "reproduced: 20/20 runs closed 1011 … (95 % CI 83.9–100.0 %)".</summary>
    public string Describe()
    {
        var completed = Runs - Errors;
        var errorsText = Errors > 0 ? $", {Errors} run(s) could not be carried out" : "";
        return Verdict switch
        {
            Verdict.Fixed => $"fixed: 0/{completed} runs failed (95 % upper bound {FailureRate.High * 100:0.0} %){errorsText}",
            Verdict.NotFixed => $"not fixed: {Failures}/{completed} runs failed ({FailureRate}){errorsText}",
            Verdict.Reproduced => $"reproduced: {Symptoms}/{completed} runs showed the symptom ({FailureRate}){errorsText}",
            Verdict.NotReproduced => $"not reproduced: 0/{completed} runs showed the symptom (95 % upper bound {FailureRate.High * 100:0.0} %){errorsText}",
            _ => $"inconclusive: {(Expectation == VariantExpectation.Symptom ? Symptoms : Failures)}/{completed} ({FailureRate}){errorsText}",
        };
    }
}
