using System.Text;
using Replica.Chaos.Sweeps;

namespace Replica.Cli.Scenarios;

/// <summary>
/// The sweep's table as it runs: one row per value, one column per variant with failures/runs, the rate, its 95 %
/// interval and a bar; under it each variant's boundary. Redrawn in place on a terminal; printed after each round
/// otherwise (a CI log).
/// </summary>
internal sealed class SweepTable(SweepPlan plan, TextWriter output)
{
    private const int BarWidth = 10;
    private int _linesDrawn;
    private int _lastRound;
    private readonly bool _live = Terminal.Interactive && ReferenceEquals(output, Console.Out);

    public void Update(SweepProgress progress)
    {
        var roundEnded = progress.RunsDone == progress.RunsPlanned;
        if (_live)
        {
            Redraw(Render(progress.Variants, $"round {progress.Round}: {progress.RunsDone}/{progress.RunsPlanned} runs"));
        }
        else
        {
            var values = string.Join(" × ", progress.Request.Values.Select((x, i) => plan.Axes[i].Format(x)));
            var run = progress.Run;
            var what = run.Outcome switch
            {
                Replica.Chaos.Verification.RunOutcome.Passed => "✔ passed ",
                Replica.Chaos.Verification.RunOutcome.Symptom => "✘ symptom",
                Replica.Chaos.Verification.RunOutcome.OtherFailure => "✘ failed ",
                _ => "! error  ",
            };
            output.WriteLine($"  {run.Variant,-10} {values,8} #{run.Index,-2} {what} {run.Duration.TotalSeconds,5:0.00} s  {run.FailureMode?.Label ?? run.Error}");
        }
        if (!_live && roundEnded && progress.Round != _lastRound)
        {
            _lastRound = progress.Round;
            output.Write(Render(progress.Variants, $"after round {progress.Round}: {progress.RunsDone} runs"));
            output.Flush();
        }
    }

    /// <summary>The final table (printed once more in place, or for the log).</summary>
    public void Final(SweepReport report)
    {
        var text = Render(report.Variants, $"{report.TotalRuns} runs in {report.Elapsed.TotalSeconds:0} s");
        if (_live)
        {
            Redraw(text);
        }
        else
        {
            output.Write(text);
        }
    }

    private void Redraw(string text)
    {
        if (_linesDrawn > 0)
        {
            output.Write($"\u001b[{_linesDrawn}F\u001b[J");
        }
        output.Write(text);
        output.Flush();
        _linesDrawn = text.Count(c => c == '\n');
    }

    public string Render(IReadOnlyList<SweepVariantResult> variants, string status)
    {
        var axes = plan.Axes;
        var keys = variants.SelectMany(v => v.Cells).Select(c => c.Values).DistinctBy(v => string.Join(',', v))
            .OrderBy(v => v[0]).ThenBy(v => v.Count > 1 ? v[1] : 0).ToList();
        var valueWidth = Math.Max(axes.Count == 1 ? axes[0].Path.Text.Length : 12, keys.Select(Key).DefaultIfEmpty("").Max(k => k.Length));
        const int columnWidth = 38;
        var text = new StringBuilder();
        text.Append("  ").Append((axes.Count == 1 ? axes[0].Path.Text : string.Join(" × ", axes.Select(a => a.Path.Text))).PadRight(valueWidth));
        foreach (var v in variants)
        {
            text.Append(" │ ").Append(v.Variant.PadRight(columnWidth));
        }
        text.Append('\n').Append("  ").Append(new string('─', valueWidth));
        foreach (var _ in variants)
        {
            text.Append("─┼─").Append(new string('─', columnWidth));
        }
        text.Append('\n');
        foreach (var key in keys)
        {
            text.Append("  ").Append(Key(key).PadLeft(valueWidth));
            foreach (var v in variants)
            {
                var cell = v.Cells.FirstOrDefault(c => c.Values.SequenceEqual(key));
                text.Append(" │ ").Append((cell is null ? "" : Cell(cell)).PadRight(columnWidth));
            }
            text.Append('\n');
        }
        foreach (var v in variants)
        {
            text.Append($"  {v.Variant}: {v.Boundary.Description}\n");
        }
        text.Append($"  {status}\n");
        return text.ToString();
    }

    private string Key(IReadOnlyList<double> values) => string.Join(" × ", values.Select((x, i) => plan.Axes[i].Format(x)));

    private static string Cell(SweepCell cell)
    {
        if (cell.Trials == 0)
        {
            return cell.Runs.Count == 0 ? "…" : $"{cell.Errors} errors";
        }
        var filled = (int)Math.Round(cell.Rate * BarWidth);
        var bar = new string('█', filled) + new string('·', BarWidth - filled);
        var interval = cell.Interval;
        return $"{$"{cell.Failures}/{cell.Trials}",5} {cell.Rate * 100,4:0}% ({interval.Low * 100:0}–{interval.High * 100:0}) {bar}";
    }
}
