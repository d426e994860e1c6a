using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Replica.Chaos.Reports;
using Replica.Chaos.Verification;
using Replica.Environments.Errors;

namespace Replica.Cli.Control;

/// <summary>
/// The last run of `verify` or `chaos run` on this environment, as the dashboard shows it: its outcome with the tally
/// of outcomes per variant so far (in the state and on the live feed), and its timeline (the verify SVG).
/// </summary>
internal sealed class LastRun(LiveFeed feed)
{
    private readonly object _runLock = new();
    private readonly Dictionary<string, Dictionary<string, int>> _tally = [];
    private RunSummary? _lastRun;
    private string? _lastRunSvg;

    /// <summary>
    /// A run of `verify` or `chaos run` on this environment has ended: the page shows its timeline (the verify SVG) and
    /// the tally of outcomes per variant so far.
    /// </summary>
    public void Publish(string scenario, RunResult run, int runsPerVariant)
    {
        var svg = TimelineSvgWriter.Build(scenario, run);
        RunSummary item;
        lock (_runLock)
        {
            if (!_tally.TryGetValue(run.Variant, out var counts))
            {
                _tally[run.Variant] = counts = new Dictionary<string, int> { ["passed"] = 0, ["symptom"] = 0, ["otherFailure"] = 0, ["error"] = 0 };
            }
            var outcome = JsonNamingPolicy.CamelCase.ConvertName(run.Outcome.ToString());
            counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
            _lastRunSvg = svg;
            _lastRun = item = new RunSummary(
                scenario,
                run.Variant,
                run.Index,
                runsPerVariant,
                outcome,
                run.FailureMode?.Label ?? run.Error,
                Math.Round(run.Duration.TotalSeconds, 2),
                _tally.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, int>)new Dictionary<string, int>(p.Value)));
        }
        feed.Publish("run", item, ControlJsonContext.Default.RunSummary);
    }

    /// <summary>The last run's outcome and tally, as <see cref="Publish"/> recorded it; null before any run has ended.</summary>
    public RunSummary? Current()
    {
        lock (_runLock)
        {
            return _lastRun;
        }
    }

    public async Task TimelineAsync(HttpContext context)
    {
        string? svg;
        lock (_runLock)
        {
            svg = _lastRunSvg;
        }
        if (svg is null)
        {
            await ControlResponse.WriteErrorAsync(context, 404, "no run has ended on this environment yet", ReplicaErrorKind.Failure);
            return;
        }
        context.Response.ContentType = "image/svg+xml; charset=utf-8";
        context.Response.Headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'";
        await context.Response.WriteAsync(svg, context.RequestAborted);
    }
}
