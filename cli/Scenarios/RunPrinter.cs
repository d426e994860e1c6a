using Replica.Chaos.Probes;
using Replica.Chaos.Verification;
using Spectre.Console;

namespace Replica.Cli.Scenarios;

/// <summary>How runs and their summaries look in a terminal (or plain text when redirected).</summary>
internal static class RunPrinter
{
    public static void RunLine(RunResult run, int total, TextWriter output, bool showCopy = false)
    {
        var (mark, color, what) = run.Outcome switch
        {
            RunOutcome.Passed => ("✔", "green", "passed"),
            RunOutcome.Symptom => ("✘", "red", "symptom"),
            RunOutcome.OtherFailure => ("✘", "yellow", "failed"),
            _ => ("!", "yellow", "error"),
        };
        var detail = run.FailureMode?.Label ?? run.Error ?? "";
        if (showCopy && run.Copy is { } copy)
        {
            detail = $"[{copy}] {detail}";
        }
        var text = $"  {run.Variant,-10} {run.Index,3}/{total,-3} {mark} {what,-8} {run.Duration.TotalSeconds,5:0.00} s  {detail}";
        if (Terminal.Interactive && ReferenceEquals(output, Console.Out))
        {
            Terminal.Out.MarkupLine($"  {Markup.Escape($"{run.Variant,-10} {run.Index,3}/{total,-3}")} [{color}]{mark} {what,-8}[/] {run.Duration.TotalSeconds,5:0.00} s  {Markup.Escape(detail)}");
        }
        else
        {
            output.WriteLine(text);
            output.Flush();
        }
    }

    /// <summary>What each probe saw, frame by frame, with times on the run's axis.</summary>
    public static void ProbeDetails(RunResult run, TextWriter output)
    {
        foreach (var probe in run.Probes)
        {
            Probe(probe, output);
        }
    }

    /// <summary>What one probe saw, frame by frame.</summary>
    public static void Probe(ProbeObservation probe, TextWriter output)
    {
        output.WriteLine($"  probe {probe.Probe}: {(probe.Passed ? "passed" : "FAILED: " + probe.Failure)} ({probe.StartedAt.TotalMilliseconds:0}–{probe.EndedAt.TotalMilliseconds:0} ms){(probe.Detail is null ? "" : " — " + probe.Detail)}");
        foreach (var frame in probe.Frames)
        {
            var text = frame.Text is null ? "" : "  " + Shorten(frame.Text, 110);
            output.WriteLine($"    {frame.At.TotalMilliseconds,7:0} ms {Arrow(frame.Direction)} {frame.Type}{text}");
        }
    }

    public static void Timeline(RunResult run, TextWriter output)
    {
        foreach (var e in run.Timeline.OrderBy(e => e.At))
        {
            var until = e.Until is { } u ? $"–{u.TotalMilliseconds:0}" : "";
            output.WriteLine($"    {e.At.TotalMilliseconds,7:0}{until,-8} ms  {e.Lane,-10} {e.Label}");
        }
    }

    public static void Summary(VerificationReport report, TextWriter output)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "VARIANT", "EXPECT", "SYMPTOM", "OTHER", "ERRORS", "FAILURE RATE (95 % CI)", "VERDICT" })
        {
            table.AddColumn(column);
        }
        foreach (var v in report.Variants)
        {
            var verdict = v.ExpectationHeld ? $"[green]{v.Verdict}[/]" : $"[red]{v.Verdict}[/]";
            table.AddRow(
                Markup.Escape(v.Variant),
                v.Expectation.ToString().ToLowerInvariant(),
                $"{v.Symptoms}/{v.Completed}",
                v.OtherFailures.ToString(),
                v.Errors.ToString(),
                v.ObservedRate is { } observed ? Markup.Escape($"{100.0 * observed:0} % ({v.FailureRate})") : "–",
                verdict);
        }
        Terminal.Out.Write(table);
        foreach (var v in report.Variants)
        {
            output.WriteLine($"  {v.Variant}: {v.Describe()}");
            foreach (var (mode, count) in v.FailureModes)
            {
                output.WriteLine($"      {count,3} × {mode}");
            }
        }
        Calibration(report, output);
        output.WriteLine(report.ExpectationsHeld
            ? $"Expectations held: {string.Join(", ", report.Variants.Select(v => $"{v.Variant} {v.Verdict.ToString().ToLowerInvariant()}"))} ({report.Duration.TotalSeconds:0.0} s, seed {report.Seed})."
            : $"Expectations NOT met ({report.Duration.TotalSeconds:0.0} s, seed {report.Seed}).");
    }

    /// <summary>The `--calibrate` check, one line per variant, and what it means; nothing without one.</summary>
    public static void Calibration(VerificationReport report, TextWriter output)
    {
        if (report.Calibration is not { } calibration)
        {
            return;
        }
        output.WriteLine($"  calibration: {calibration.RunsPerVariant} runs per variant at K = 1 and at K = {calibration.Copies}:");
        foreach (var line in calibration.Describe())
        {
            output.WriteLine($"    {line}");
        }
        output.WriteLine(calibration.Differs
            ? "  the symptom rate DIFFERS between K = 1 and K beyond the intervals: the race depends on the load (a finding)"
            : "  no difference beyond the intervals: the race holds at this parallelism");
    }

    private static string Arrow(string direction) => direction switch { "in" => "←", "out" => "→", _ => "·" };

    private static string Shorten(string text, int max)
    {
        text = text.ReplaceLineEndings(" ");
        return text.Length <= max ? text : text[..max] + "…";
    }
}
