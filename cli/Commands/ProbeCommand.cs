using System.CommandLine;
using System.Diagnostics;
using Replica.Chaos.Probes;
using Replica.Chaos.Scenarios;
using Replica.Cli.Environments;
using Replica.Cli.Json;
using Replica.Cli.Scenarios;
using Replica.Environments.Errors;
using Replica.Environments.Proxied;
using Replica.Environments.State;
using Replica.Proxy.Edge.Tls;

namespace Replica.Cli.Commands;

/// <summary>
/// `replica probe SCENARIO[:PROBE]`: one probe of a scenario (the first when none is named) against the environment
/// that is up — through its edge proxy, or straight to a service with `via:` — signed in as the scenario's auth says.
/// Prints every frame it saw and the outcome classified as `verify` would: passed, the scenario's symptom, or another
/// failure. Exit 0 when it passed, 1 when it failed.
/// </summary>
internal static class ProbeCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("scenario") { Description = "SCENARIO[:PROBE]: a scenario file, name or prefix, and one of its probes (default: the first)" };
        var json = new Option<bool>("--json") { Description = "Print the observation as JSON" };
        var command = new Command("probe", "Run one probe of a scenario against the running environment and classify what it saw") { target, json };
        command.SetAction(async (parse, ct) =>
        {
            var text = parse.GetValue(target)!;
            var colon = text.LastIndexOf(':');
            var (scenarioName, probeName) = colon > 0 && !File.Exists(text) ? (text[..colon], text[(colon + 1)..]) : (text, null);
            var (scenario, _) = ScenarioSession.Load(scenarioName, parse);
            var probe = probeName is null ? scenario.Probes[0]
                : scenario.Probes.FirstOrDefault(p => p.Name == probeName) ?? throw new ReplicaException(
                    $"scenario '{scenario.Name}' has no probe '{probeName}'; it has {string.Join(", ", scenario.Probes.Select(p => p.Name))}", ReplicaErrorKind.BadInput);

            var options = EnvironmentOptions.From(parse);
            var name = options.ResolveName();
            var state = options.Store.Read(name);
            if (state is null || !StateStore.IsOwnerAlive(state))
            {
                throw new ReplicaException($"environment '{name}' is not up", ReplicaErrorKind.Failure, "start it with `replica up --detach`");
            }
            using var http = new HttpClient(EdgeCertificateTrust.CreateHandler()) { Timeout = TimeSpan.FromSeconds(30) };
            Uri Resolve(ProbeTarget t) => t.ViaEdge
                ? new Uri(state.Endpoints.GetValueOrDefault(ReplicaEnvironment.EdgeEndpoint) ?? throw new ReplicaException($"environment '{name}' has no edge proxy for the probe to go through"))
                : new Uri("http://" + (state.Services.GetValueOrDefault(t.Service!)?.Endpoints.Values.FirstOrDefault()
                    ?? throw new ReplicaException($"environment '{name}' has no service '{t.Service}' with an endpoint", ReplicaErrorKind.BadInput)));
            var tokens = scenario.Auth is { } auth ? new TokenSource(auth, http, Resolve) : null;
            var clock = Stopwatch.StartNew();
            var context = new ProbeContext(http, Resolve, tokens is null ? null : tokens.GetAsync, clock);
            var observation = probe switch
            {
                WebSocketProbeDefinition ws => await WebSocketProbe.RunAsync(ws, context, ct),
                HttpProbeDefinition h => await HttpProbe.RunAsync(h, context, ct),
                HealthPollProbeDefinition health => await HealthPollProbe.RunAsync(health, context, ct),
                _ => throw new InvalidOperationException($"unknown probe {probe.GetType().Name}"),
            };
            var symptom = observation.Failure is { } failure && scenario.Symptom.Matches(failure);
            var outcome = observation.Passed ? "passed" : symptom ? "symptom" : "failed";
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new ProbeReport(scenario.Name, name, outcome, scenario.Symptom.ToString(), observation.Failure?.Label, observation), JsonOutput.Types.ProbeReport);
            }
            else
            {
                Console.Out.WriteLine($"Probe {probe.Name} of {scenario.Name} against '{name}' ({probe.Target}):");
                RunPrinter.Probe(observation, Console.Out);
                Console.Out.WriteLine(outcome switch
                {
                    "passed" => "Passed.",
                    "symptom" => $"Symptom: {observation.Failure!.Label} — the scenario's symptom ({scenario.Symptom}).",
                    _ => $"Failed: {observation.Failure?.Label} — not the scenario's symptom ({scenario.Symptom}).",
                });
            }
            return observation.Passed ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
