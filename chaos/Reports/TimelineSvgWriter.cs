using System.Globalization;
using System.Security;
using System.Text;
using Replica.Chaos.Verification;

namespace Replica.Chaos.Reports;

/// <summary>
/// One run as a picture (self-contained SVG): fault windows, service lifecycle, probe frames and the failure on one
/// time axis — so "the 1011 close came while Redis was still refusing connections" can be seen.
/// </summary>
public static class TimelineSvgWriter
{
    private const int Width = 1100;
    private const int LabelWidth = 170;
    private const int PlotWidth = Width - LabelWidth - 40;
    private const int LaneHeight = 34;
    private const int Top = 64;

    public static string Build(string scenario, RunResult run)
    {
        var events = run.Timeline;
        var end = new[] { run.Duration }
            .Concat(events.Select(e => e.Until ?? e.At))
            .Concat(run.Probes.Select(p => p.EndedAt))
            .Max();
        var span = Math.Max(end.TotalMilliseconds * 1.04, 100);
        double X(TimeSpan t) => LabelWidth + t.TotalMilliseconds / span * PlotWidth;

        var faultLanes = events.Where(e => e.Kind == "fault").Select(e => e.Label).Distinct().ToList();
        var serviceLanes = events.Where(e => e.Kind is "lifecycle" or "service").Select(e => e.Lane).Distinct().ToList();
        var probeLanes = run.Probes.Select(p => p.Probe).ToList();
        var lanes = faultLanes.Select(l => ("fault", l))
            .Concat(serviceLanes.Select(l => ("service", l)))
            .Concat(probeLanes.Select(l => ("probe", l)))
            .ToList();
        var height = Top + lanes.Count * LaneHeight + 70;
        int LaneY(string kind, string name) => Top + lanes.IndexOf((kind, name)) * LaneHeight;

        var svg = new StringBuilder();
        svg.AppendLine(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">"));
        svg.AppendLine(Invariant($"<rect width=\"{Width}\" height=\"{height}\" fill=\"#ffffff\"/>"));
        var outcome = run.Outcome switch
        {
            RunOutcome.Passed => "passed",
            RunOutcome.Symptom => $"failed as staging did: {run.FailureMode}",
            RunOutcome.OtherFailure => $"failed: {run.FailureMode}",
            _ => $"error: {run.Error}",
        };
        svg.AppendLine(Text(16, 24, $"{scenario} · variant {run.Variant} · run {run.Index} · seed {run.Seed}", 15, "bold"));
        svg.AppendLine(Text(16, 44, outcome, 13, "normal", run.Outcome == RunOutcome.Passed ? "#1a7f37" : "#cf222e"));

        // Lanes and their labels.
        foreach (var (kind, name) in lanes)
        {
            var y = LaneY(kind, name);
            svg.AppendLine(Invariant($"<rect x=\"0\" y=\"{y}\" width=\"{Width}\" height=\"{LaneHeight}\" fill=\"{(lanes.IndexOf((kind, name)) % 2 == 0 ? "#f6f8fa" : "#ffffff")}\"/>"));
            var prefix = kind switch { "fault" => "fault", "service" => "service", _ => "probe" };
            svg.AppendLine(Text(10, y + 21, $"{prefix}: {Shorten(name, 20)}", 12, "normal", "#57606a"));
        }

        // Time axis.
        var axisY = Top + lanes.Count * LaneHeight + 8;
        svg.AppendLine(Invariant($"<line x1=\"{LabelWidth}\" y1=\"{axisY}\" x2=\"{LabelWidth + PlotWidth}\" y2=\"{axisY}\" stroke=\"#57606a\"/>"));
        var step = NiceStep(span);
        for (var t = 0.0; t <= span; t += step)
        {
            var x = LabelWidth + t / span * PlotWidth;
            svg.AppendLine(Invariant($"<line x1=\"{x:0.#}\" y1=\"{Top}\" x2=\"{x:0.#}\" y2=\"{axisY + 5}\" stroke=\"#d0d7de\" stroke-dasharray=\"2,3\"/>"));
            svg.AppendLine(Text(x - 14, axisY + 20, t >= 1000 ? $"{t / 1000:0.##} s" : $"{t:0} ms", 11, "normal", "#57606a"));
        }

        // Fault windows.
        foreach (var e in events.Where(e => e.Kind == "fault"))
        {
            var y = LaneY("fault", e.Label) + 7;
            var x1 = X(e.At);
            var x2 = X(e.Until ?? end);
            svg.AppendLine(Invariant($"<rect x=\"{x1:0.#}\" y=\"{y}\" width=\"{Math.Max(2, x2 - x1):0.#}\" height=\"20\" rx=\"3\" fill=\"#fb8f44\" fill-opacity=\"0.75\"><title>{Escape(e.Label)}: {e.At.TotalMilliseconds:0}–{(e.Until ?? end).TotalMilliseconds:0} ms</title></rect>"));
            svg.AppendLine(Text(x1 + 4, y + 14, Shorten(e.Label, 60), 11, "normal", "#3d2000"));
        }

        // Service lifecycle: scenario steps (blue) labelled above the line, what the service did below it.
        var textEnds = new Dictionary<(string, bool), double>();
        foreach (var e in events.Where(e => e.Kind is "lifecycle" or "service").OrderBy(e => e.At))
        {
            var laneY = LaneY("service", e.Lane);
            var x = X(e.At);
            var isStep = e.Kind == "lifecycle";
            var color = isStep ? "#0969da" : e.Label.Contains("exit", StringComparison.OrdinalIgnoreCase) || e.Label.Contains("unhealthy", StringComparison.OrdinalIgnoreCase) ? "#cf222e" : "#1a7f37";
            svg.AppendLine(Invariant($"<circle cx=\"{x:0.#}\" cy=\"{laneY + 17}\" r=\"{(isStep ? 6 : 4)}\" fill=\"{color}\"><title>{Escape(e.Label)} at {e.At.TotalMilliseconds:0} ms</title></circle>"));
            var row = (e.Lane, isStep);
            var textX = Math.Max(x - 3, textEnds.GetValueOrDefault(row));
            svg.AppendLine(Text(textX, isStep ? laneY + 9 : laneY + 31, e.Label, 10, "normal", color));
            textEnds[row] = textX + e.Label.Length * 5.8 + 8;
        }

        // Probes: the span they ran, each frame, and the failure.
        foreach (var probe in run.Probes)
        {
            var y = LaneY("probe", probe.Probe);
            var x1 = X(probe.StartedAt);
            var x2 = X(probe.EndedAt);
            svg.AppendLine(Invariant($"<rect x=\"{x1:0.#}\" y=\"{y + 12}\" width=\"{Math.Max(2, x2 - x1):0.#}\" height=\"10\" rx=\"2\" fill=\"#8c959f\" fill-opacity=\"0.35\"/>"));
            var row = 0;
            foreach (var frame in probe.Frames)
            {
                var x = X(frame.At);
                svg.AppendLine(Invariant($"<line x1=\"{x:0.#}\" y1=\"{y + 8}\" x2=\"{x:0.#}\" y2=\"{y + 26}\" stroke=\"#0550ae\" stroke-width=\"2\"><title>{Escape(frame.Direction)} {Escape(frame.Type)} at {frame.At.TotalMilliseconds:0} ms{(frame.Text is null ? "" : ": " + Escape(Shorten(frame.Text, 200)))}</title></line>"));
                svg.AppendLine(Text(x + 3, y + (row++ % 2 == 0 ? 9 : 33), frame.Type, 10, "normal", "#0550ae"));
            }
            if (probe.Failure is { } failure)
            {
                var x = X(probe.EndedAt);
                svg.AppendLine(Invariant($"<g stroke=\"#cf222e\" stroke-width=\"3\"><line x1=\"{x - 7:0.#}\" y1=\"{y + 10}\" x2=\"{x + 7:0.#}\" y2=\"{y + 24}\"/><line x1=\"{x - 7:0.#}\" y1=\"{y + 24}\" x2=\"{x + 7:0.#}\" y2=\"{y + 10}\"/></g>"));
                svg.AppendLine(Invariant($"<line x1=\"{x:0.#}\" y1=\"{Top}\" x2=\"{x:0.#}\" y2=\"{axisY}\" stroke=\"#cf222e\" stroke-width=\"1\" stroke-dasharray=\"4,3\"/>"));
                var labelX = Math.Min(x + 10, Width - 8 - failure.Label.Length * 6.6);
                svg.AppendLine(Text(labelX, y + 22, failure.Label, 12, "bold", "#cf222e"));
            }
        }
        svg.AppendLine(Text(LabelWidth, height - 14, "orange: fault windows · dots: service lifecycle (blue: scenario step, green: started/healthy, red: exit) · ticks: frames the probe saw · red ✕: failure", 11, "normal", "#57606a"));
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    public static void Write(string scenario, RunResult run, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, Build(scenario, run));
    }

    private static double NiceStep(double spanMs)
    {
        foreach (var step in new[] { 10.0, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 30000, 60000 })
        {
            if (spanMs / step <= 12)
            {
                return step;
            }
        }
        return 120000;
    }

    private static string Text(double x, double y, string text, int size, string weight, string color = "#24292f") =>
        Invariant($"<text x=\"{x:0.#}\" y=\"{y:0.#}\" font-size=\"{size}\" font-weight=\"{weight}\" fill=\"{color}\">{Escape(text)}</text>");

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
