using System.Net;
using System.Text;
using Replica.Chaos.Sweeps;

namespace Replica.Chaos.Reports;

/// <summary>
/// A sweep as one self-contained HTML file (no external script, style or font: it opens offline): the chart (the same
/// SVG as <see cref="SweepSvgWriter"/>, inline), each variant's boundary, the expectations, and the table of values.
/// A few lines of inline script let a click on a legend entry hide or show that variant's line.
/// </summary>
public static class SweepHtmlWriter
{
    public static string Render(SweepReport report)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append($"<title>Sweep {E(report.Title)}</title>\n<style>\n");
        html.Append("body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px;color:#222;background:#fff}h1{font-size:20px}");
        html.Append("table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right;font-size:13px}th{background:#f3f3f3}");
        html.Append(".held{color:#2a7a2a}.failed{color:#b22}.legend [data-legend]{cursor:pointer}.hidden{opacity:.08}\n</style></head><body>\n");
        html.Append($"<h1>Sweep {E(report.Title)}</h1>\n");
        html.Append($"<p>Varying <code>{E(string.Join(" × ", report.Plan.Axes.Select(a => $"{a.Path.Text} over {a.Range.Text}")))}</code> · {report.TotalRuns} runs · {report.Elapsed.TotalSeconds:0} s · seed {report.Seed}</p>\n");
        html.Append("<div id=\"chart\" class=\"legend\">\n").Append(SweepSvgWriter.Render(report)).Append("</div>\n");
        html.Append("<h2>Boundaries</h2>\n<ul id=\"boundaries\">\n");
        foreach (var v in report.Variants)
        {
            html.Append($"<li data-variant=\"{E(v.Variant)}\"><b>{E(v.Variant)}</b>: {E(v.Boundary.Description)}</li>\n");
        }
        html.Append("</ul>\n");
        if (report.Expectations.Count > 0)
        {
            html.Append($"<h2 class=\"{(report.ExpectationsHeld ? "held" : "failed")}\">{(report.ExpectationsHeld ? "Expectations held" : "Expectations not met")}</h2>\n<ul>\n");
            foreach (var e in report.Expectations)
            {
                html.Append($"<li class=\"{(e.Held ? "held" : "failed")}\">{(e.Held ? "✔" : "✘")} {E(e.Expectation.Variant)} <code>{E(e.Expectation.Text)}</code>: {E(e.Detail)}</li>\n");
            }
            html.Append("</ul>\n");
        }
        html.Append("<h2>Runs</h2>\n").Append(Table(report));
        html.Append("<script>\n");
        html.Append("document.querySelectorAll('#chart [data-legend]').forEach(function(label){label.addEventListener('click',function(){");
        html.Append("var name=label.getAttribute('data-legend');document.querySelectorAll('#chart [data-series=\"'+name+'\"],#chart [data-band=\"'+name+'\"],#chart [data-boundary=\"'+name+'\"]').forEach(function(e){e.classList.toggle('hidden');});});});\n");
        html.Append("</script>\n</body></html>\n");
        return html.ToString();
    }

    private static string Table(SweepReport report)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var axes = report.Plan.Axes;
        var table = new StringBuilder("<table id=\"points\"><tr>");
        table.Append($"<th>{E(string.Join(" × ", axes.Select(a => a.Path.Text)))}</th>");
        foreach (var v in report.Variants)
        {
            table.Append($"<th>{E(v.Variant)}</th>");
        }
        table.Append("</tr>\n");
        var keys = report.Variants.SelectMany(v => v.Cells).Select(c => c.Values).DistinctBy(v => string.Join(',', v))
            .OrderBy(v => v[0]).ThenBy(v => v.Count > 1 ? v[1] : 0);
        foreach (var key in keys)
        {
            table.Append($"<tr><th>{E(string.Join(" × ", key.Select((x, i) => axes[i].Format(x))))}</th>");
            foreach (var v in report.Variants)
            {
                var c = v.Cells.FirstOrDefault(c => c.Values.SequenceEqual(key));
                table.Append(c is null || c.Trials == 0 ? "<td></td>" : $"<td title=\"{E(string.Join(", ", c.FailureModes.Select(m => $"{m.Value} × {m.Key}")))}\">{c.Failures}/{c.Trials} · {c.Rate * 100:0} % ({c.Interval.Low * 100:0}–{c.Interval.High * 100:0} %)</td>");
            }
            table.Append("</tr>\n");
        }
        return table.Append("</table>\n").ToString();
    }

    public static void Write(SweepReport report, string path) => File.WriteAllText(path, Render(report));
}
