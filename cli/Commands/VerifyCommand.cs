using System.CommandLine;
using Replica.Chaos.Reports;
using Replica.Chaos.Scenarios;
using Replica.Chaos.Verification;
using Replica.Cli.Environments;
using Replica.Cli.Scenarios;
using Replica.Environments.Errors;
using Replica.Environments.Hosting;

namespace Replica.Cli.Commands;

/// <summary>
/// `replica verify SCENARIO [--runs N] [--variants a,b]`: N runs per variant on one environment, then per variant the
/// failures by mode, a 95 % interval and a verdict; exit 0 only when every variant does what the scenario expects.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var scenarioArgument = new Argument<string?>("scenario") { Description = "Scenario file, name or unique prefix (chaos/scenarios/)", Arity = ArgumentArity.ZeroOrOne };
        var runs = new Option<int?>("--runs", "-n") { Description = "Runs per variant (default: the scenario's runs:, else 20)" };
        var variants = new Option<string?>("--variants") { Description = "Comma-separated variants to run (default: all)" };
        var seed = new Option<int?>("--seed") { Description = "Seed of the proxies' random sources (printed when not given)" };
        var json = new Option<bool>("--json") { Description = "Print the full report as JSON on stdout (progress goes to stderr)" };
        var junit = new Option<string?>("--junit") { Description = "Write a JUnit XML report to FILE (one test case per variant)" };
        var markdown = new Option<string?>("--markdown") { Description = "Write a Markdown summary to FILE (for a PR comment)" };
        var timeline = new Option<string?>("--timeline") { Description = "Write an SVG timeline of one run (the first that showed the symptom) to FILE" };
        var list = new Option<bool>("--list") { Description = "List the scenarios and their variants" };
        var minRate = new Option<double?>("--min-rate")
        {
            Description = "Also require every symptom variant to show the symptom in at least this share of runs (0..1), e.g. 0.9 for CI",
        };
        var runtimeOptions = new RuntimeOptions();
        var command = new Command("verify", "Run each variant of a scenario N times and report failure rates with confidence intervals")
        {
            scenarioArgument, runs, variants, seed, json, junit, markdown, timeline, list, minRate,
        };
        runtimeOptions.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(list))
            {
                return ListScenarios();
            }
            var argument = parse.GetValue(scenarioArgument) ?? throw new ReplicaException("verify: which scenario? (replica verify --list)", kind: ReplicaErrorKind.BadInput);
            var runtime = runtimeOptions.Read(parse);
            var (scenario, topology) = ScenarioSession.Load(argument, parse);
            var chosen = ScenarioSession.SelectVariants(scenario, parse.GetValue(variants));
            var count = parse.GetValue(runs) ?? scenario.DefaultRuns;
            var requiredRate = parse.GetValue(minRate);
            if (requiredRate is < 0 or > 1)
            {
                throw new ReplicaException($"--min-rate: expected a share from 0 to 1, found {requiredRate}", kind: ReplicaErrorKind.BadInput);
            }
            if (count < 1)
            {
                throw new ReplicaException($"--runs: expected at least 1, found {count}", kind: ReplicaErrorKind.BadInput);
            }
            var reports = (
                JUnit: ReportFile.Check("--junit", parse.GetValue(junit)),
                Markdown: ReportFile.Check("--markdown", parse.GetValue(markdown)),
                Timeline: ReportFile.Check("--timeline", parse.GetValue(timeline)));
            var asJson = parse.GetValue(json);
            var output = asJson ? Console.Error : Console.Out;
            output.WriteLine($"Scenario {scenario.Name}: {scenario.Incident.Title}");
            ScenarioSession.PrintWarnings(scenario, output);
            output.WriteLine($"  symptom: {scenario.Symptom}; variants: {string.Join(", ", chosen.Select(v => $"{v.Name} (expect {v.Expectation.ToString().ToLowerInvariant()})"))}; {count} runs each; {runtime.Runtime} runtime");
            var name = parse.GetValue(GlobalOptions.Name);
            using var signals = ScenarioSession.Signals(scenario, name, ct);
            var printer = new ProgressPrinter(output, color: false);
            // Environment progress is shown until it is up; restarts between runs would drown the run lines.
            var environmentUp = false;
            await using var session = await ScenarioSession.StartAsync(scenario, topology, chosen[0], name, runtime, parse.GetValue(seed),
                e => { if (e.Kind is EnvironmentEventKind.Healthy or EnvironmentEventKind.Unhealthy or EnvironmentEventKind.Progress && !environmentUp) printer.Print(e); },
                signals.Token);
            environmentUp = true;
            output.WriteLine($"Environment up in {session.StartTime.TotalSeconds:0.00} s (seed {session.Environment.Seed}{EdgeShape.Describe(session.Environment)}); running… (live: {session.Dashboard.Url})");
            var report = await ScenarioVerifier.VerifyAsync(session.Environment, scenario, chosen, count, session.StartTime, runtime.Runtime,
                run =>
                {
                    RunPrinter.RunLine(run, count, output);
                    session.Publish(run, count);
                }, signals.Token, requiredRate);
            if (asJson)
            {
                JsonOutput.Write(report);
            }
            else
            {
                RunPrinter.Summary(report, output);
            }
            WriteReports(report, scenario, reports.JUnit, reports.Markdown, reports.Timeline, output);
            return report.ExpectationsHeld ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static void WriteReports(VerificationReport report, Scenario scenario, ReportFile? junit, ReportFile? markdown, ReportFile? timeline, TextWriter output)
    {
        if (junit is not null)
        {
            junit.Write(path => JUnitReportWriter.Write(report, path));
            output.WriteLine($"JUnit report: {junit.Path}");
        }
        if (markdown is not null)
        {
            markdown.Write(path => MarkdownReportWriter.Write(report, path));
            output.WriteLine($"Markdown summary: {markdown.Path}");
        }
        if (timeline is not null)
        {
            var run = report.Runs.FirstOrDefault(r => r.Outcome == RunOutcome.Symptom)
                      ?? report.Runs.FirstOrDefault(r => r.Outcome != RunOutcome.Passed)
                      ?? report.Runs.First();
            timeline.Write(path => TimelineSvgWriter.Write(scenario.Name, run, path));
            output.WriteLine($"Timeline of {run.Variant} run {run.Index}: {timeline.Path}");
        }
    }

    private static int ListScenarios()
    {
        var directory = ScenarioResolver.ScenarioDirectory() ?? throw new ReplicaException("no chaos/scenarios/ directory here or above", kind: ReplicaErrorKind.BadInput);
        foreach (var file in Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            try
            {
                var (scenario, _) = ScenarioLoader.Load(file);
                Console.Out.WriteLine($"{scenario.Name,-36} {scenario.Incident.Title}");
                Console.Out.WriteLine($"{"",-36} variants: {string.Join(", ", scenario.Variants.Select(v => $"{v.Name} ({v.Expectation.ToString().ToLowerInvariant()})"))}");
            }
            catch (ReplicaException ex)
            {
                Console.Out.WriteLine($"{Path.GetFileNameWithoutExtension(file),-36} (invalid: {ex.Message.Split('\n')[0]})");
            }
        }
        return ExitCodes.Success;
    }
}
