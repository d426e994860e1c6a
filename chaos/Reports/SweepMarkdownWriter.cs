using System.Text;
using Replica.Chaos.Sweeps;

namespace Replica.Chaos.Reports;

/// <summary>
/// A sweep as Markdown for a PR comment: the verdict line, each variant's boundary, the expectations, and the table
/// of values × variants (failures/runs, rate, 95 % interval).
/// </summary>
public static class SweepMarkdownWriter
{
    public static string Render(SweepReport report)
    {
        var axes = report.Plan.Axes;
        var md = new StringBuilder();
        md.Append($"### Sweep `{report.Title}`: failure rate by `{string.Join("` × `", axes.Select(a => a.Path.Text))}`\n\n");
        if (report.Expectations.Count > 0)
        {
            md.Append(report.ExpectationsHeld ? "✅ expectations held" : "❌ expectations not met").Append($" · {report.TotalRuns} runs · {report.Elapsed.TotalSeconds:0} s · seed {report.Seed}\n\n");
        }
        else
        {
            md.Append($"{report.TotalRuns} runs · {report.Elapsed.TotalSeconds:0} s · seed {report.Seed}\n\n");
        }
        md.Append("| variant | boundary (50 % failure) |\n|---|---|\n");
        foreach (var v in report.Variants)
        {
            md.Append($"| {v.Variant} | {(v.Boundary.Found ? $"**{axes[0].Format(v.Boundary.Estimate)}** ({axes[0].Format(v.Boundary.Low)}–{axes[0].Format(v.Boundary.High)})" : v.Boundary.Description)} |\n");
        }
        if (report.Expectations.Count > 0)
        {
            md.Append("\n| variant | expectation | result |\n|---|---|---|\n");
            foreach (var e in report.Expectations)
            {
                md.Append($"| {e.Expectation.Variant} | `{e.Expectation.Text}` | {(e.Held ? "✅" : "❌")} {e.Detail} |\n");
            }
        }
        md.Append($"\n| {string.Join(" × ", axes.Select(a => a.Path.Text))} | {string.Join(" | ", report.Variants.Select(v => v.Variant))} |\n");
        md.Append($"|---|{string.Concat(report.Variants.Select(_ => "---|"))}\n");
        var keys = report.Variants.SelectMany(v => v.Cells).Select(c => c.Values).DistinctBy(v => string.Join(',', v))
            .OrderBy(v => v[0]).ThenBy(v => v.Count > 1 ? v[1] : 0);
        foreach (var key in keys)
        {
            md.Append($"| {string.Join(" × ", key.Select((x, i) => axes[i].Format(x)))} |");
            foreach (var v in report.Variants)
            {
                var c = v.Cells.FirstOrDefault(c => c.Values.SequenceEqual(key));
                md.Append(c is null || c.Trials == 0 ? " |" : $" {c.Failures}/{c.Trials} · {c.Rate * 100:0} % ({c.Interval.Low * 100:0}–{c.Interval.High * 100:0} %) |");
            }
            md.Append('\n');
        }
        return md.ToString();
    }

    public static void Write(SweepReport report, string path) => File.WriteAllText(path, Render(report));
}
