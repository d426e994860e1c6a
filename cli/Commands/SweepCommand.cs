using System.CommandLine;
using System.Diagnostics;
using Replica.Chaos.Reports;
using Replica.Chaos.Scenarios;
using Replica.Chaos.Sweeps;
using Replica.Chaos.Verification;
using Replica.Cli.Environments;
using Replica.Cli.Scenarios;
using Replica.Environments.Compose;
using Replica.Environments.Errors;
using Replica.Environments.Hosting;
using Replica.Environments.Proxied;

namespace Replica.Cli.Commands;

/// <summary>
/// `replica sweep SCENARIO [SWEEP] [--vary PATH=RANGE]…`: the failure rate of each variant over a range of one value
/// of the scenario (or two: a heatmap), with the boundary where it crosses 50 % found adaptively, on one environment
/// reused between runs as `verify` does. Everything is checked before anything starts (exit 2).
/// </summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var scenarioArgument = new Argument<string>("scenario") { Description = "Scenario file, name or unique prefix (chaos/scenarios/)" };
        var sweepArgument = new Argument<string?>("sweep") { Description = "A sweep named in the scenario's sweeps: (needs no --vary)", Arity = ArgumentArity.ZeroOrOne };
        var vary = new Option<string[]>("--vary") { Description = "PATH=RANGE, e.g. timeline[3].after=auto:0ms..2s, settings.backend.REDIS_READY_TIMEOUT=0ms..2s/250ms (one or two)", AllowMultipleArgumentsPerToken = false };
        var runs = new Option<int?>("--runs", "-n") { Description = $"Runs per variant and value (adaptive: per round; default {SweepPlan.DefaultRuns})" };
        var variants = new Option<string?>("--variants") { Description = "Comma-separated variants to sweep (default: all)" };
        var seed = new Option<int?>("--seed") { Description = "Seed of the proxies' random sources (printed when not given)" };
        var json = new Option<bool>("--json") { Description = "Print the sweep with every run as JSON on stdout (the table goes to stderr)" };
        var html = new Option<string?>("--html") { Description = "Write a self-contained HTML report (chart and table) to FILE" };
        var svg = new Option<string?>("--svg") { Description = "Write the chart as SVG to FILE" };
        var markdown = new Option<string?>("--markdown") { Description = "Write a Markdown summary to FILE (for a PR comment)" };
        var junit = new Option<string?>("--junit") { Description = "Write the sweep's expectations as JUnit XML to FILE" };
        var parallel = new Option<int?>("--parallel") { Description = "Run each round over K isolated copies of the environment (default 1: a race's boundary moves with the machine's load, so K > 1 trades accuracy for time; check with verify --calibrate)" };
        var runtimeOptions = new RuntimeOptions();
        var command = new Command("sweep", "Failure rate of each variant across a range of one scenario value, and where it crosses 50 %")
        {
            scenarioArgument, sweepArgument, vary, runs, variants, seed, json, html, svg, markdown, junit, parallel,
        };
        runtimeOptions.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var runtime = runtimeOptions.Read(parse);
            var path = ScenarioResolver.Resolve(parse.GetValue(scenarioArgument)!);
            var composeFile = ScenarioSession.ComposeFile(parse);
            var (scenario, topology) = ScenarioLoader.Load(path, composeFile);
            var file = YamlFile.Load(path);
            var varies = parse.GetValue(vary) ?? [];
            var sweepName = parse.GetValue(sweepArgument);
            SweepDefinition definition;
            if (sweepName is not null)
            {
                definition = SweepFileReader.Named(file, sweepName);
                if (varies.Length > 0)
                {
                    definition = definition with { Varies = SweepDefinition.FromFlags(varies, null, null).Varies };
                }
                if (parse.GetValue(runs) is { } n)
                {
                    definition = definition with { Runs = n };
                }
            }
            else
            {
                definition = SweepDefinition.FromFlags(varies, parse.GetValue(runs), null);
            }
            var copies = parse.GetValue(parallel) ?? 1;
            if (copies < 1)
            {
                throw new ReplicaException($"--parallel: expected at least 1 copy, found {copies}", kind: ReplicaErrorKind.BadInput);
            }
            var plan = SweepPlan.Create(file, composeFile, scenario, definition, parse.GetValue(variants));
            var reports = (
                Html: ReportFile.Check("--html", parse.GetValue(html)),
                Svg: ReportFile.Check("--svg", parse.GetValue(svg)),
                Markdown: ReportFile.Check("--markdown", parse.GetValue(markdown)),
                JUnit: ReportFile.Check("--junit", parse.GetValue(junit)));
            var asJson = parse.GetValue(json);
            var output = asJson ? Console.Error : Console.Out;
            output.WriteLine($"Sweep {(plan.Name is null ? "" : plan.Name + " of ")}{scenario.Name}: {scenario.Incident.Title}");
            ScenarioSession.PrintWarnings(scenario, output);
            output.WriteLine($"  varying {string.Join(" and ", plan.Axes.Select(a => $"{a.Path.Text} over {a.Range.Text}"))}; variants: {string.Join(", ", plan.Variants.Select(v => v.Name))}; {plan.Runs} runs per value{(plan.Adaptive ? " and round (adaptive)" : "")}; {runtime.Runtime} runtime");
            foreach (var axis in plan.Axes.Where(a => a.Path.Segments[0] == "settings"))
            {
                foreach (var v in plan.Variants.Where(v => v.Settings.TryGetValue(axis.Path.Segments[1], out var s) && s.ContainsKey(axis.Path.Leaf)))
                {
                    output.WriteLine($"  note: {v.Name} sets {axis.Path.Leaf} itself ({v.Settings[axis.Path.Segments[1]][axis.Path.Leaf]}): its line keeps that value");
                }
            }
            var name = parse.GetValue(GlobalOptions.Name);
            using var signals = SignalScope.ForEnvironmentCopies(ct, ScenarioSession.Store, ScenarioSession.EnvironmentName(scenario, name));
            var printer = new ProgressPrinter(output, color: false);
            var environmentUp = false;
            var scenarioSeed = parse.GetValue(seed) ?? Random.Shared.Next(1, int.MaxValue);
            Task<ReplicaEnvironment> StartCopy(int copy, CancellationToken token) =>
                ScenarioSession.StartEnvironmentAsync(scenario, topology, plan.Variants[0], ScenarioSession.CopyName(scenario, name, copy, copies > 1), runtime,
                    RunSeeds.ForCopy(scenarioSeed, copy),
                    copy == 1 ? e => { if (e.Kind is EnvironmentEventKind.Healthy or EnvironmentEventKind.Unhealthy or EnvironmentEventKind.Progress && !Volatile.Read(ref environmentUp)) printer.Print(e); } : null,
                    token);
            var clock = Stopwatch.StartNew();
            await using var pool = await EnvironmentPool.StartAsync(scenario, scenarioSeed, copies, StartCopy, signals.Token);
            Volatile.Write(ref environmentUp, true);
            var startTime = clock.Elapsed;
            output.WriteLine($"Environment up in {startTime.TotalSeconds:0.00} s{(copies > 1 ? $" ({copies} copies)" : "")} (seed {scenarioSeed}); sweeping…");
            var table = new SweepTable(plan, output);
            var report = await SweepEngine.RunAsync(plan, new PooledSweepRunner(pool), scenarioSeed, runtime.Runtime, startTime, table.Update, signals.Token);
            table.Final(report);
            foreach (var e in report.Expectations)
            {
                output.WriteLine($"  {(e.Held ? "✔" : "✘")} {e.Expectation.Variant} {e.Expectation.Text}: {e.Detail}");
            }
            if (asJson)
            {
                Console.Out.WriteLine(SweepJsonWriter.Serialize(report));
            }
            Write(reports.Html, "HTML report", p => SweepHtmlWriter.Write(report, p), output);
            Write(reports.Svg, "SVG chart", p => SweepSvgWriter.Write(report, p), output);
            Write(reports.Markdown, "Markdown summary", p => SweepMarkdownWriter.Write(report, p), output);
            Write(reports.JUnit, "JUnit report", p => SweepJUnitWriter.Write(report, p), output);
            output.WriteLine(report.Expectations.Count == 0
                ? $"Swept in {report.Elapsed.TotalSeconds:0.0} s ({report.TotalRuns} runs, seed {report.Seed})."
                : report.ExpectationsHeld
                    ? $"Expectations held ({report.Expectations.Count}), {report.Elapsed.TotalSeconds:0.0} s, {report.TotalRuns} runs, seed {report.Seed}."
                    : $"Expectations not met: {string.Join("; ", report.Expectations.Where(e => !e.Held).Select(e => $"{e.Expectation.Variant} {e.Expectation.Text}"))} ({report.TotalRuns} runs, seed {report.Seed}).");
            return report.ExpectationsHeld ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static void Write(ReportFile? file, string what, Action<string> write, TextWriter output)
    {
        if (file is not null)
        {
            file.Write(write);
            output.WriteLine($"{what}: {file.Path}");
        }
    }
}
