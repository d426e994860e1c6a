namespace Replica.Chaos.Sweeps;

/// <summary>The sweep so far, after each run: the run that ended, every variant's cells (for a live table) and the round it is in.</summary>
public sealed record SweepProgress(int Round, int RunsDone, int RunsPlanned, IReadOnlyList<SweepVariantResult> Variants, SweepRunRequest Request, Verification.RunResult Run);
