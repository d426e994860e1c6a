using System.Text;
using Replica.Chaos.Verification;

namespace Replica.Chaos.Reports;

/// <summary>A Markdown summary for a pull-request comment: the verdict per variant, the failure modes, how it was run.</summary>
public static class MarkdownReportWriter
{
    public static string Build(VerificationReport report)
    {
        var md = new StringBuilder();
        var held = report.ExpectationsHeld;
        md.AppendLine($"### Replica verify: `{report.Scenario}` — {(held ? "✅ expectations held" : "❌ expectations not met")}");
        md.AppendLine();
        md.AppendLine(report.IncidentLink is null ? $"> {report.Incident}" : $"> [{report.Incident}]({report.IncidentLink})");
        md.AppendLine();
        var runs = report.Variants.Count > 0 ? report.Variants.Max(v => v.Runs) : 0;
        md.AppendLine($"Symptom: {report.Symptom} · {runs} runs per variant · seed {report.Seed} · {report.Runtime} runtime · {report.Duration.TotalSeconds:0.0} s");
        md.AppendLine();
        if (report.Copies.Count > 1 || report.Shards.Count > 1 || report.Shards.Any(s => s != "1/1") || report.Machines.Count > 1)
        {
            md.AppendLine($"Shards {string.Join(", ", report.Shards)} · {report.Copies.Count} environment copies · machines {string.Join(", ", report.Machines)} · seeds {string.Join(", ", report.Seeds)}");
            md.AppendLine();
        }
        if (report.Calibration is { } calibration)
        {
            md.AppendLine($"Calibration ({calibration.RunsPerVariant} runs per variant at K = 1 and K = {calibration.Copies}): {(calibration.Differs ? "❌ the rate differs beyond the intervals" : "✅ no difference beyond the intervals")}");
            md.AppendLine();
        }
        md.AppendLine("| variant | expected | symptom seen | other failures | failure rate (95 % CI) | verdict |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var v in report.Variants)
        {
            var rate = v.ObservedRate is { } observed ? $"{100.0 * observed:0} % ({v.FailureRate})" : "–";
            var mark = v.ExpectationHeld ? "✅" : "❌";
            md.AppendLine($"| {v.Variant} | {v.Expectation.ToString().ToLowerInvariant()} | {v.Symptoms}/{v.Completed} | {v.OtherFailures} | {rate} | {mark} {v.Verdict} |");
        }
        md.AppendLine();
        foreach (var v in report.Variants)
        {
            md.AppendLine($"- **{v.Variant}**: {v.Describe()}");
        }
        if (report.Variants.Any(v => v.FailureModes.Count > 0))
        {
            md.AppendLine();
            md.AppendLine("<details><summary>Failure modes</summary>");
            md.AppendLine();
            foreach (var v in report.Variants.Where(v => v.FailureModes.Count > 0))
            {
                md.AppendLine($"**{v.Variant}**");
                md.AppendLine();
                foreach (var (mode, count) in v.FailureModes)
                {
                    md.AppendLine($"- {count} × `{mode}`");
                }
                md.AppendLine();
            }
            md.AppendLine("</details>");
        }
        return md.ToString();
    }

    public static void Write(VerificationReport report, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, Build(report));
    }
}
