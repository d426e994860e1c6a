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
    Verdict Verdict,
    double? MinimumSymptomRate = null)
{
    public int Failures => Symptoms + OtherFailures;

    /// <summary>Runs carried out (not errors).</summary>
    public int Completed => Runs - Errors;

    /// <summary>
    /// The share of completed runs that <see cref="FailureRate"/> counts (the symptom for a symptom variant, any failure
    /// for a pass variant): the point estimate inside its interval; null when no run was carried out.
    /// </summary>
    public double? ObservedRate => Completed == 0 ? null : (double)(Expectation == VariantExpectation.Symptom ? Symptoms : Failures) / Completed;

    /// <summary>Did the variant do what the scenario says it should (reproduce the symptom, or pass every run)?</summary>
    public bool ExpectationHeld => Expectation == VariantExpectation.Symptom ? Verdict == Verdict.Reproduced : Verdict == Verdict.Fixed;

    /// <param name="minimumSymptomRate">
    /// A symptom variant must show the symptom in at least this share of completed runs (verify --min-rate), else its
    /// verdict is <see cref="Verdict.TooRare"/>.
    /// </param>
    public static VariantSummary From(string variant, VariantExpectation expectation, IReadOnlyList<RunResult> runs, double? minimumSymptomRate = null)
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
        var verdict = Decide(expectation, completed, errors, symptoms, symptoms + other, minimumSymptomRate);
        return new VariantSummary(variant, expectation, runs.Count, passed, symptoms, other, errors, modes, interval, verdict,
            expectation == VariantExpectation.Symptom ? minimumSymptomRate : null);
    }

    /// <summary>
    /// A reproduction is an existence proof: one run failing the way staging failed shows the race is real here (the
    /// rate and its interval say how reliably). A fix is a statistical claim: 0 failures in N runs, with the 95 % upper
    /// bound of the failure rate stated. Inconclusive is what runs that could not be carried out leave behind. With a
    /// minimum rate, a reproduction must also be reliable enough (CI wants the race to show, not to show once).
    /// </summary>
    private static Verdict Decide(VariantExpectation expectation, int completed, int errors, int symptoms, int failures, double? minimumSymptomRate)
    {
        if (expectation == VariantExpectation.Symptom)
        {
            if (symptoms > 0)
            {
                return minimumSymptomRate is { } minimum && (double)symptoms / completed < minimum ? Verdict.TooRare : Verdict.Reproduced;
            }
            return errors == 0 && completed > 0 ? Verdict.NotReproduced : Verdict.Inconclusive;
        }
        if (failures > 0)
        {
            return Verdict.NotFixed;
        }
        return errors == 0 && completed > 0 ? Verdict.Fixed : Verdict.Inconclusive;
    }

    /// <summary>One line for people: "reproduced: 20/20 runs closed 1011 … (95 % CI 83.9–100.0 %)".</summary>
    public string Describe()
    {
        var completed = Completed;
        var errorsText = Errors > 0 ? $", {Errors} run(s) could not be carried out" : "";
        return Verdict switch
        {
            Verdict.Fixed => $"fixed: 0/{completed} runs failed (95 % upper bound {FailureRate.High * 100:0.0} %){errorsText}",
            Verdict.NotFixed => $"not fixed: {Failures}/{completed} runs failed ({FailureRate}){errorsText}",
            Verdict.Reproduced => $"reproduced: {Symptoms}/{completed} runs showed the symptom ({FailureRate}){errorsText}",
            Verdict.TooRare => $"too rare: {Symptoms}/{completed} runs showed the symptom ({FailureRate}), below the required {MinimumSymptomRate * 100:0.#} %{errorsText}",
            Verdict.NotReproduced => $"not reproduced: 0/{completed} runs showed the symptom (95 % upper bound {FailureRate.High * 100:0.0} %){errorsText}",
            _ => $"inconclusive: {(Expectation == VariantExpectation.Symptom ? Symptoms : Failures)}/{completed} ({FailureRate}){errorsText}",
        };
    }
}
