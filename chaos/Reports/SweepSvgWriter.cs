using System.Globalization;
using System.Net;
using System.Text;
using Replica.Chaos.Sweeps;

namespace Replica.Chaos.Reports;

/// <summary>
/// A sweep as an SVG chart. One axis: the failure rate (0–100 %) against the value, one line per variant with its
/// 95 % interval as a band, each boundary marked by a dashed line and its interval shaded, the swept path named on the
/// x axis. Two axes: one heatmap per variant (cell colour = failure rate). Elements carry <c>data-series</c> and
/// <c>data-boundary</c> attributes so tools (and tests) can find them.
/// </summary>
public static class SweepSvgWriter
{
    /// <summary>The variants' colours, in order (readable on white, distinct for colour-blind readers).</summary>
    public static readonly IReadOnlyList<string> Colors = ["#d62728", "#ff7f0e", "#1f77b4", "#2ca02c", "#9467bd", "#8c564b"];

    private const int Width = 820;
    private const int Height = 460;
    private const int Left = 70, Right = 200, Top = 50, Bottom = 70;

    public static void Write(SweepReport report, string path) => File.WriteAllText(path, Render(report));

    public static string Render(SweepReport report) =>
        report.Plan.Axes.Count == 1 ? Curve(report) : Heatmaps(report);

    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string Curve(SweepReport report)
    {
        var axis = report.Plan.Axes[0];
        var (lo, hi) = (axis.Range.Low, axis.Range.High);
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        double X(double v) => Left + (v - lo) / (hi - lo) * plotW;
        double Y(double rate) => Top + (1 - rate) * plotH;
        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">\n");
        svg.Append($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>\n");
        svg.Append($"<text x=\"{Left}\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{E(report.Title)}: failure rate per variant</text>\n");
        svg.Append($"<text x=\"{Left}\" y=\"39\" fill=\"#555\">{report.TotalRuns} runs · bands: 95 % Wilson interval · dashed: where the rate crosses 50 %</text>\n");
        // Grid and axes.
        for (var p = 0; p <= 100; p += 25)
        {
            var y = Y(p / 100.0);
            svg.Append($"<line x1=\"{Left}\" y1=\"{F(y)}\" x2=\"{Left + plotW}\" y2=\"{F(y)}\" stroke=\"{(p == 50 ? "#999" : "#e5e5e5")}\"{(p == 50 ? " stroke-dasharray=\"2 3\"" : "")}/>\n");
            svg.Append($"<text x=\"{Left - 8}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{p} %</text>\n");
        }
        foreach (var tick in Ticks(lo, hi))
        {
            var x = X(tick);
            svg.Append($"<line x1=\"{F(x)}\" y1=\"{Top + plotH}\" x2=\"{F(x)}\" y2=\"{Top + plotH + 5}\" stroke=\"#333\"/>\n");
            svg.Append($"<text x=\"{F(x)}\" y=\"{Top + plotH + 19}\" text-anchor=\"middle\">{E(axis.Format(tick))}</text>\n");
        }
        svg.Append($"<line x1=\"{Left}\" y1=\"{Top + plotH}\" x2=\"{Left + plotW}\" y2=\"{Top + plotH}\" stroke=\"#333\"/>\n");
        svg.Append($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + plotH}\" stroke=\"#333\"/>\n");
        svg.Append($"<text x=\"{Left + plotW / 2}\" y=\"{Height - 30}\" text-anchor=\"middle\" font-size=\"13\" data-axis=\"x\">{E(axis.Path.Text)}</text>\n");
        if (report.Plan.Label is { } label)
        {
            svg.Append($"<text x=\"{Left + plotW / 2}\" y=\"{Height - 13}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#555\">{E(label)}</text>\n");
        }
        svg.Append($"<text transform=\"translate(18 {Top + plotH / 2}) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">failure rate</text>\n");
        var variants = report.Variants;
        // A small vertical offset per variant keeps lines that coincide (two at 100 %) both visible.
        for (var i = 0; i < variants.Count; i++)
        {
            var v = variants[i];
            var color = Colors[i % Colors.Count];
            var offset = (i - (variants.Count - 1) / 2.0) * 2.5;
            var cells = v.Cells.Where(c => c.Trials > 0).OrderBy(c => c.X).ToList();
            if (cells.Count == 0)
            {
                continue;
            }
            var band = cells.Select(c => $"{F(X(c.X))},{F(Y(c.Interval.High) + offset)}")
                .Concat(cells.AsEnumerable().Reverse().Select(c => $"{F(X(c.X))},{F(Y(c.Interval.Low) + offset)}"));
            svg.Append($"<polygon data-band=\"{E(v.Variant)}\" points=\"{string.Join(' ', band)}\" fill=\"{color}\" fill-opacity=\"0.07\" stroke=\"none\"/>\n");
            svg.Append($"<polyline data-series=\"{E(v.Variant)}\" points=\"{string.Join(' ', cells.Select(c => $"{F(X(c.X))},{F(Y(c.Rate) + offset)}"))}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2.5\"/>\n");
            foreach (var c in cells)
            {
                svg.Append($"<circle cx=\"{F(X(c.X))}\" cy=\"{F(Y(c.Rate) + offset)}\" r=\"3.5\" fill=\"{color}\"><title>{E(v.Variant)} at {E(axis.Format(c.X))}: {c.Failures}/{c.Trials} failed ({c.Rate * 100:0} %, {c.Interval})</title></circle>\n");
            }
        }
        // Boundaries: shaded interval and a dashed line with its value, labels stacked so they never overlap.
        var labelRow = 0;
        for (var i = 0; i < variants.Count; i++)
        {
            var b = variants[i].Boundary;
            if (!b.Found)
            {
                continue;
            }
            var color = Colors[i % Colors.Count];
            svg.Append($"<rect data-boundary-interval=\"{E(variants[i].Variant)}\" x=\"{F(X(b.Low))}\" y=\"{Top}\" width=\"{F(Math.Max(1, X(b.High) - X(b.Low)))}\" height=\"{plotH}\" fill=\"{color}\" fill-opacity=\"0.08\"/>\n");
            svg.Append($"<line data-boundary=\"{E(variants[i].Variant)}\" data-value=\"{F(b.Estimate)}\" x1=\"{F(X(b.Estimate))}\" y1=\"{Top}\" x2=\"{F(X(b.Estimate))}\" y2=\"{Top + plotH}\" stroke=\"{color}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n");
            var labelY = Top + 14 + 16 * labelRow++;
            var anchorRight = X(b.Estimate) > Left + plotW * 0.6;
            svg.Append($"<text x=\"{F(X(b.Estimate) + (anchorRight ? -6 : 6))}\" y=\"{labelY}\" fill=\"{color}\" text-anchor=\"{(anchorRight ? "end" : "start")}\" font-size=\"11\" font-weight=\"bold\" paint-order=\"stroke\" stroke=\"#ffffff\" stroke-width=\"4\">{E(variants[i].Variant)} {(b.Rising ? "fails" : "passes")} from {E(axis.Format(b.Estimate))} ({E(axis.Format(b.Low))}–{E(axis.Format(b.High))})</text>\n");
        }
        // Legend: one entry per variant with its boundary in words.
        var lx = Left + plotW + 18;
        for (var i = 0; i < variants.Count; i++)
        {
            var v = variants[i];
            var y = Top + 10 + i * 66;
            var color = Colors[i % Colors.Count];
            svg.Append($"<line x1=\"{lx}\" y1=\"{y}\" x2=\"{lx + 22}\" y2=\"{y}\" stroke=\"{color}\" stroke-width=\"3\"/>\n");
            svg.Append($"<text x=\"{lx + 28}\" y=\"{y + 4}\" font-weight=\"bold\" data-legend=\"{E(v.Variant)}\">{E(v.Variant)}</text>\n");
            var words = v.Boundary.Found
                ? [$"boundary {axis.Format(v.Boundary.Estimate)}", $"({axis.Format(v.Boundary.Low)}–{axis.Format(v.Boundary.High)})", v.Boundary.Rising ? "fails above it" : "passes above it"]
                : v.Boundary.Side == SweepSide.Below ? new[] { "no boundary:", $"below 50 % throughout" }
                : v.Boundary.Side == SweepSide.Above ? ["no boundary:", "above 50 % throughout"] : ["undecided"];
            for (var w = 0; w < words.Length; w++)
            {
                svg.Append($"<text x=\"{lx + 28}\" y=\"{y + 19 + 14 * w}\" fill=\"#444\" font-size=\"11\">{E(words[w])}</text>\n");
            }
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string Heatmaps(SweepReport report)
    {
        var (ax, ay) = (report.Plan.Axes[0], report.Plan.Axes[1]);
        var xs = ax.Range.Values;
        var ys = ay.Range.Values;
        const int cell = 34;
        const int gap = 60;
        var mapW = xs.Count * cell;
        var mapH = ys.Count * cell;
        var width = Math.Max(520, 90 + report.Variants.Count * (mapW + gap));
        var height = 120 + mapH + 60;
        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"11\">\n");
        svg.Append($"<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>\n");
        svg.Append($"<text x=\"20\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{E(report.Title)}: failure rate by {E(ax.Path.Text)} × {E(ay.Path.Text)}</text>\n");
        svg.Append($"<text x=\"20\" y=\"39\" fill=\"#555\">{report.TotalRuns} runs · white 0 % → red 100 %</text>\n");
        for (var i = 0; i < report.Variants.Count; i++)
        {
            var v = report.Variants[i];
            var ox = 90 + i * (mapW + gap);
            const int oy = 70;
            svg.Append($"<g data-series=\"{E(v.Variant)}\"><text x=\"{ox}\" y=\"{oy - 8}\" font-weight=\"bold\" font-size=\"13\">{E(v.Variant)}</text>\n");
            for (var yi = 0; yi < ys.Count; yi++)
            {
                for (var xi = 0; xi < xs.Count; xi++)
                {
                    var c = v.Cells.FirstOrDefault(c => c.Values[0] == xs[xi] && c.Values[1] == ys[yi]);
                    var rate = c is null || c.Trials == 0 ? double.NaN : c.Rate;
                    var fill = double.IsNaN(rate) ? "#dddddd" : $"rgb(255,{(int)(255 * (1 - rate))},{(int)(255 * (1 - rate))})";
                    var y = oy + (ys.Count - 1 - yi) * cell;
                    svg.Append($"<rect x=\"{ox + xi * cell}\" y=\"{y}\" width=\"{cell - 1}\" height=\"{cell - 1}\" fill=\"{fill}\" stroke=\"#ccc\"><title>{E(ax.Format(xs[xi]))} × {E(ay.Format(ys[yi]))}: {(c is null ? "—" : $"{c.Failures}/{c.Trials}")}</title></rect>\n");
                    if (c is { Trials: > 0 })
                    {
                        svg.Append($"<text x=\"{ox + xi * cell + cell / 2}\" y=\"{y + cell / 2 + 4}\" text-anchor=\"middle\" font-size=\"10\">{c.Rate * 100:0}</text>\n");
                    }
                }
            }
            for (var xi = 0; xi < xs.Count; xi++)
            {
                svg.Append($"<text x=\"{ox + xi * cell + cell / 2}\" y=\"{oy + mapH + 14}\" text-anchor=\"middle\" font-size=\"9\">{E(ax.Format(xs[xi]))}</text>\n");
            }
            for (var yi = 0; yi < ys.Count; yi++)
            {
                svg.Append($"<text x=\"{ox - 4}\" y=\"{oy + (ys.Count - 1 - yi) * cell + cell / 2 + 4}\" text-anchor=\"end\" font-size=\"9\">{E(ay.Format(ys[yi]))}</text>\n");
            }
            svg.Append("</g>\n");
        }
        svg.Append($"<text x=\"90\" y=\"{height - 20}\" font-size=\"12\" data-axis=\"x\">x: {E(ax.Path.Text)} · y: {E(ay.Path.Text)}</text>\n");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>About six round ticks between the ends.</summary>
    private static IEnumerable<double> Ticks(double lo, double hi)
    {
        var raw = (hi - lo) / 6;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        for (var t = Math.Ceiling(lo / step) * step; t <= hi + step * 1e-9; t += step)
        {
            yield return t;
        }
    }
}
