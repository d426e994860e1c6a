using System.CommandLine;
using Replica.Chaos.Reports;
using Replica.Chaos.Scenarios;
using Replica.Chaos.Verification;
using Replica.Cli.Environments;
using Replica.Cli.Json;
using Replica.Cli.Scenarios;
using Replica.Environments.Errors;

namespace Replica.Cli.Commands;

/// <summary>`replica chaos run SCENARIO [--variant V] [--seed N]`: one run, with what each probe saw.</summary>
internal static class ChaosCommand
{
    public static Command Create()
    {
        var command = new Command("chaos", "Run scenarios");
        command.Subcommands.Add(Run());
        return command;
    }

    private static Command Run()
    {
        var scenarioArgument = new Argument<string>("scenario") { Description = "Scenario file, name or unique prefix (chaos/scenarios/)" };
        var variant = new Option<string?>("--variant") { Description = "Variant to run (default: the first)" };
        var seed = new Option<int?>("--seed") { Description = "Seed of the proxies' random sources (printed when not given)" };
        var json = new Option<bool>("--json") { Description = "Print the run as JSON on stdout (progress goes to stderr)" };
        var timeline = new Option<string?>("--timeline") { Description = "Write an SVG timeline of the run to FILE" };
        var runtimeOptions = new RuntimeOptions();
        var command = new Command("run", "One run of a scenario variant: live progress, what each probe saw, the failure classified")
        {
            scenarioArgument, variant, seed, json, timeline,
        };
        runtimeOptions.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var runtime = runtimeOptions.Read(parse);
            var (scenario, topology) = ScenarioSession.Load(parse.GetValue(scenarioArgument)!, parse);
            var chosen = parse.GetValue(variant) is { } v ? scenario.Variant(v) : scenario.Variants[0];
            var timelineFile = ReportFile.Check("--timeline", parse.GetValue(timeline));
            var asJson = parse.GetValue(json);
            var output = asJson ? Console.Error : Console.Out;
            output.WriteLine($"Scenario {scenario.Name}, variant {chosen.Name} (expect {chosen.Expectation.ToString().ToLowerInvariant()}): {scenario.Incident.Title}");
            ScenarioSession.PrintWarnings(scenario, output);
            foreach (var (label, text) in new[] { ("staging saw", scenario.Incident.Seen), ("fix tried", scenario.Incident.Tried), ("why it failed", scenario.Incident.WhyItFailed), ("real fix", scenario.Incident.Fix) })
            {
                if (!string.IsNullOrWhiteSpace(text))
                {
                    output.WriteLine($"  {label}: {text.Trim()}");
                }
            }
            var printer = new ProgressPrinter(output, color: false);
            using var signals = ScenarioSession.Signals(scenario, parse.GetValue(GlobalOptions.Name), ct);
            await using var session = await ScenarioSession.StartAsync(scenario, topology, chosen, parse.GetValue(GlobalOptions.Name), runtime,
                parse.GetValue(seed), printer.Print, signals.Token);
            output.WriteLine($"Environment up in {session.StartTime.TotalSeconds:0.00} s (seed {session.Environment.Seed}{EdgeShape.Describe(session.Environment)}); running the timeline… (live: {session.Dashboard.Url})");
            using var runner = new ScenarioRunner(session.Environment, scenario);
            var run = await runner.RunAsync(chosen, 1, signals.Token);
            session.Publish(run, 1);
            if (asJson)
            {
                JsonOutput.Write(run, JsonOutput.Types.RunResult);
            }
            else
            {
                output.WriteLine("Timeline:");
                RunPrinter.Timeline(run, output);
                output.WriteLine("Probes:");
                RunPrinter.ProbeDetails(run, output);
                if (run.ServiceLog is { Count: > 0 } log)
                {
                    var marked = log.Where(l => l.Contains(" R1:", StringComparison.Ordinal) || l.Contains(" R2:", StringComparison.Ordinal) || l.Contains(" R3:", StringComparison.Ordinal)).ToList();
                    foreach (var line in marked.Take(10))
                    {
                        output.WriteLine($"  log {line}");
                    }
                }
                RunPrinter.RunLine(run, 1, output);
            }
            if (timelineFile is not null)
            {
                timelineFile.Write(path => TimelineSvgWriter.Write(scenario.Name, run, path));
                output.WriteLine($"Timeline: {timelineFile.Path}");
            }
            var asExpected = chosen.Expectation == VariantExpectation.Symptom ? run.Outcome == RunOutcome.Symptom : run.Outcome == RunOutcome.Passed;
            output.WriteLine(asExpected
                ? $"As expected: {(run.Outcome == RunOutcome.Symptom ? "the staging symptom reproduced" : "passed")}."
                : $"Not as expected: the variant expects {(chosen.Expectation == VariantExpectation.Symptom ? "the symptom" : "a pass")}, the run {run.Outcome.ToString().ToLowerInvariant()}.");
            return run.Outcome == RunOutcome.Error ? ExitCodes.Failure : asExpected ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
