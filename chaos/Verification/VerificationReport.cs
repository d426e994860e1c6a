namespace Replica.Chaos.Verification;

/// <summary>Everything `replica verify` found: per-variant summaries and every run, for --json and the other reports.</summary>
/// <param name="Seed">The scenario's seed: every run's seed and every copy's are derived from it (<see cref="RunSeeds"/>).</param>
public sealed record VerificationReport(
    string Scenario,
    string Incident,
    string? IncidentLink,
    string Symptom,
    string Runtime,
    long Seed,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    TimeSpan EnvironmentStart,
    IReadOnlyList<VariantSummary> Variants,
    IReadOnlyList<RunResult> Runs)
{
    public bool ExpectationsHeld => Variants.Count > 0 && Variants.All(v => v.ExpectationHeld);

    /// <summary>Runs per variant of the whole verify (every shard's together); 0 when not recorded.</summary>
    public int RunsPerVariant { get; init; }

    /// <summary>Which shards these runs are: "1/1" for a whole verify, "2/3" for one shard, every merged one after a merge.</summary>
    public IReadOnlyList<string> Shards { get; init => field = value ?? ["1/1"]; } = ["1/1"];

    /// <summary>How many environment copies the runs were spread over, and why (null: one, as before parallel verify).</summary>
    public ParallelismChoice? Parallelism { get; init; }

    /// <summary>The copies by name (verify-r2-…-1 … -K), as the runs name them.</summary>
    public IReadOnlyList<string> Copies { get; init => field = value ?? []; } = [];

    /// <summary>The machines (host names) the runs were carried out on.</summary>
    public IReadOnlyList<string> Machines { get; init => field = value ?? []; } = [];

    /// <summary>The scenario seeds of the reports merged into this one (one entry for a verify run in one go).</summary>
    public IReadOnlyList<long> Seeds { get; init => field = value ?? []; } = [];

    /// <summary>The K = 1 against K check of `verify --calibrate`; null without it.</summary>
    public CalibrationCheck? Calibration { get; init; }

    /// <summary>The share of runs a symptom variant must show (verify --min-rate); null without it.</summary>
    public double? MinimumSymptomRate { get; init; }
}
