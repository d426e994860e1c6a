using System.CommandLine;
using Replica.Chaos.Scenarios;
using Replica.Cli.Json;
using Replica.Cli.Scenarios;
using Replica.Environments.Errors;

namespace Replica.Cli.Commands;

/// <summary>
/// `replica lint SCENARIO [-f compose.yaml] [--json]`: checks a scenario and the compose file it runs on exactly as
/// `verify` would before starting anything — keys, types, services, dependencies, toxics, edge rules, the timeline — and
/// starts nothing, so it works from any folder. Exit 0 with a one-line summary, or 2 with every problem as
/// file:line:column.
/// </summary>
internal static class LintCommand
{
    public static Command Create()
    {
        var scenarioArgument = new Argument<string>("scenario") { Description = "Scenario file, name or unique prefix (chaos/scenarios/)" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON on stdout: {valid, …} or {valid: false, errors: [{file, line, column, message}]}" };
        var command = new Command("lint", "Check a scenario and its compose file without starting anything") { scenarioArgument, json };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            Scenario scenario;
            Replica.Environments.Compose.Topology topology;
            try
            {
                (scenario, topology) = ScenarioSession.Load(parse.GetValue(scenarioArgument)!, parse);
            }
            catch (ReplicaException error) when (asJson)
            {
                JsonOutput.Write(new LintFailure(
                    Valid: false,
                    Errors: error is ConfigurationException configuration
                        ? configuration.Problems.Select(p => new LintError(p.Location.File, p.Location.Line, p.Location.Column, p.Message)).ToList()
                        : [new LintError(null, null, null, error.Message)]),
                    JsonOutput.Types.LintFailure);
                return ExitCodes.For(error.Kind);
            }
            var relative = Path.GetRelativePath(System.Environment.CurrentDirectory, scenario.ComposeFile);
            if (asJson)
            {
                JsonOutput.Write(new LintSuccess(
                    Valid: true,
                    Scenario: scenario.Name,
                    File: scenario.SourceFile,
                    Compose: scenario.ComposeFile,
                    Variants: scenario.Variants.Select(v => v.Name).ToList(),
                    Steps: scenario.Timeline.Count,
                    Probes: scenario.Probes.Select(p => p.Name).ToList(),
                    Services: topology.Services.Count,
                    Dependencies: topology.Dependencies.Count,
                    Warnings: scenario.Warnings.Select(w => new LintError(w.Location.File, w.Location.Line, w.Location.Column, w.Message)).ToList()),
                    JsonOutput.Types.LintSuccess);
            }
            else
            {
                ScenarioSession.PrintWarnings(scenario, Console.Out);
                Console.Out.WriteLine(
                    $"{scenario.SourceFile}: valid: scenario {scenario.Name}, {Count(scenario.Variants.Count, "variant")} ({string.Join(", ", scenario.Variants.Select(v => v.Name))}), " +
                    $"{Count(scenario.Timeline.Count, "step")}, {Count(scenario.Probes.Count, "probe")}; compose {relative} ({Count(topology.Services.Count, "service")}, {Count(topology.Dependencies.Count, "dependency", "dependencies")})");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Count(int n, string noun, string? plural = null) => $"{n} {(n == 1 ? noun : plural ?? noun + "s")}";

}
