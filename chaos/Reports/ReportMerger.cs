using Replica.Chaos.Verification;
using Replica.Environments.Errors;

namespace Replica.Chaos.Reports;

/// <summary>
/// `replica report merge`: the reports of one scenario's shards (`verify --shard i/n --json`, one per machine) as one
/// report. Runs are put together, so counts add; each variant's interval and verdict are computed from the totals,
/// exactly as one verify of all those runs would give them; the seeds, machines, shards and copies are listed. Reports
/// that do not belong together (another scenario, other variants, another --min-rate) or that carry the same run twice
/// are refused with the files named; nothing is written then.
/// </summary>
public static class ReportMerger
{
    /// <summary>The merged report, and what is worth saying about it (a shard missing).</summary>
    public static (VerificationReport Report, IReadOnlyList<string> Notes) Merge(IReadOnlyList<(string Path, VerificationReport Report)> shards)
    {
        if (shards.Count == 0)
        {
            throw new ReplicaException("report merge: which reports? give the JSON files `replica verify --json` wrote", kind: ReplicaErrorKind.BadInput);
        }
        var (firstPath, first) = shards[0];
        var variants = first.Variants.Select(v => (v.Variant, v.Expectation)).ToList();
        foreach (var (path, report) in shards.Skip(1))
        {
            Require(report.Scenario == first.Scenario, path, $"scenario '{report.Scenario}', but {firstPath} is '{first.Scenario}'");
            var theirs = report.Variants.Select(v => (v.Variant, v.Expectation)).ToList();
            Require(theirs.SequenceEqual(variants), path,
                $"variants {Names(theirs)}, but {firstPath} has {Names(variants)} (merge shards of the same verify)");
            Require(report.MinimumSymptomRate == first.MinimumSymptomRate, path,
                $"--min-rate {Rate(report.MinimumSymptomRate)}, but {firstPath} has {Rate(first.MinimumSymptomRate)}");
            Require(report.RunsPerVariant == first.RunsPerVariant || report.RunsPerVariant == 0 || first.RunsPerVariant == 0, path,
                $"{report.RunsPerVariant} runs per variant, but {firstPath} has {first.RunsPerVariant}");
        }
        var owners = new Dictionary<(string, int), string>();
        foreach (var (path, report) in shards)
        {
            foreach (var run in report.Runs)
            {
                if (owners.TryGetValue((run.Variant, run.Index), out var other))
                {
                    throw new ReplicaException(
                        $"{path}: run {run.Index} of {run.Variant} is also in {other}: shards must be disjoint (one --shard i/n each, same n)",
                        kind: ReplicaErrorKind.BadInput);
                }
                owners[(run.Variant, run.Index)] = path;
            }
        }
        var runs = shards.SelectMany(s => s.Report.Runs)
            .OrderBy(r => variants.FindIndex(v => v.Variant == r.Variant)).ThenBy(r => r.Index)
            .ToList();
        var started = shards.Min(s => s.Report.StartedAt);
        var merged = ScenarioVerifier.Summarise(
            first.Scenario, first.Incident, first.IncidentLink, first.Symptom,
            string.Join(", ", shards.Select(s => s.Report.Runtime).Distinct()),
            first.Seed, variants, runs, started,
            shards.Max(s => s.Report.StartedAt + s.Report.Duration) - started,
            shards.Max(s => s.Report.EnvironmentStart),
            first.MinimumSymptomRate) with
        {
            RunsPerVariant = shards.Max(s => s.Report.RunsPerVariant),
            Shards = shards.SelectMany(s => s.Report.Shards).Distinct().Order(StringComparer.Ordinal).ToList(),
            Copies = shards.SelectMany(s => s.Report.Copies).Distinct().ToList(),
            Machines = shards.SelectMany(s => s.Report.Machines).Distinct().ToList(),
            Seeds = shards.SelectMany(s => s.Report.Seeds.Count > 0 ? s.Report.Seeds : [s.Report.Seed]).Distinct().ToList(),
        };
        return (merged, Notes(merged, shards));
    }

    private static List<string> Notes(VerificationReport merged, IReadOnlyList<(string Path, VerificationReport Report)> shards)
    {
        var notes = new List<string>();
        if (merged.Seeds.Count > 1)
        {
            notes.Add($"the shards ran with different seeds ({string.Join(", ", merged.Seeds)}): each run's seed is derived from its own shard's");
        }
        if (merged.RunsPerVariant > 0)
        {
            foreach (var v in merged.Variants.Where(v => v.Runs != merged.RunsPerVariant))
            {
                notes.Add($"{v.Variant}: {v.Runs} of {merged.RunsPerVariant} runs present (a shard missing?): the verdict is over these {v.Runs}");
            }
        }
        return notes;
    }

    private static void Require(bool condition, string path, string problem)
    {
        if (!condition)
        {
            throw new ReplicaException($"{path}: cannot be merged: {problem}", kind: ReplicaErrorKind.BadInput);
        }
    }

    private static string Names(IEnumerable<(string Name, Scenarios.VariantExpectation Expectation)> variants) =>
        string.Join(", ", variants.Select(v => v.Name));

    private static string Rate(double? rate) => rate?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)";
}
