using Replica.Chaos.Verification;

namespace Replica.Chaos.Sweeps;

/// <summary>
/// One variant at one value (one per axis): its runs, the failures by mode, and the failure rate with its 95 % Wilson
/// interval. Runs that could not be carried out (errors) are kept but not counted as trials.
/// </summary>
public sealed class SweepCell(string variant, IReadOnlyList<double> values)
{
    private readonly List<RunResult> _runs = [];

    public string Variant { get; } = variant;

    public IReadOnlyList<double> Values { get; } = values;

    /// <summary>The value on the first axis (the one a curve is drawn over).</summary>
    public double X => Values[0];

    public IReadOnlyList<RunResult> Runs => _runs;

    public int Trials => _runs.Count(r => r.Outcome != RunOutcome.Error);

    public int Failures => _runs.Count(r => r.Outcome is RunOutcome.Symptom or RunOutcome.OtherFailure);

    public int Symptoms => _runs.Count(r => r.Outcome == RunOutcome.Symptom);

    public int Errors => _runs.Count(r => r.Outcome == RunOutcome.Error);

    public double Rate => Trials == 0 ? double.NaN : (double)Failures / Trials;

    public WilsonInterval Interval => WilsonInterval.Of(Failures, Trials);

    /// <summary>Where the cell stands against 50 %: surely below, surely above (by its interval), or not yet known.</summary>
    public SweepSide Side => Trials == 0 ? SweepSide.Unsure : Interval.High < 0.5 ? SweepSide.Below : Interval.Low > 0.5 ? SweepSide.Above : SweepSide.Unsure;

    /// <summary>Failures by mode (close 1011 "…", timeout after …), most frequent first.</summary>
    public IReadOnlyDictionary<string, int> FailureModes =>
        _runs.Where(r => r.Outcome is RunOutcome.Symptom or RunOutcome.OtherFailure)
            .GroupBy(r => r.FailureMode?.Label ?? "failed")
            .OrderByDescending(g => g.Count())
            .ToDictionary(g => g.Key, g => g.Count());

    public void Add(RunResult run) => _runs.Add(run);
}
