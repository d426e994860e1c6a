using System.CommandLine;
using System.Text.Json;
using Replica.Cli.Control;
using Replica.Cli.Environments;
using Replica.Cli.Json;
using Replica.Environments.Compose;
using Replica.Environments.Errors;

namespace Replica.Cli.Commands;

/// <summary>
/// `replica restart|stop|start|kill|pause|resume SERVICE…`: a lifecycle verb on services of the environment that is
/// up, carried out by its owner with the scenario step of the same name (health-gated start and restart). Services
/// are acted on one after the other, in the order given; the first that cannot be acted on stops the command.
/// </summary>
internal static class ServiceVerbCommand
{
    private static readonly Dictionary<string, string> Summaries = new()
    {
        ["restart"] = "Restart services of the running environment; done when healthy (or as --wait says)",
        ["stop"] = "Stop services of the running environment (SIGTERM, or docker stop)",
        ["start"] = "Start stopped services of the running environment; done when healthy (or as --wait says)",
        ["kill"] = "Kill services of the running environment (SIGKILL)",
        ["pause"] = "Freeze services of the running environment (SIGSTOP, or docker pause) until `replica resume`",
        ["resume"] = "Resume paused services of the running environment",
    };

    public static IEnumerable<Command> CreateAll() => ServiceVerb.Names.Select(Create);

    private static Command Create(string verb)
    {
        var services = new Argument<string[]>("service") { Description = "Service names (compose.yaml)", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var command = new Command(verb, Summaries[verb]) { services, json };
        Option<string>? wait = null;
        if (verb is "restart" or "start")
        {
            wait = new Option<string>("--wait") { Description = "Done when the service is healthy (default), listening or started", DefaultValueFactory = _ => "healthy" };
            command.Options.Add(wait);
        }
        command.SetAction(async (parse, ct) =>
        {
            var waitFor = wait is null ? null : parse.GetValue(wait);
            ServiceVerb.ParseWait(waitFor); // a bad --wait is bad input before anything is done
            using var client = ControlClient.Connect(EnvironmentOptions.From(parse));
            // Every name checked first: a typo in the third name must not leave the first two restarted.
            var known = (await client.GetAsync("api/state", ct)).GetProperty("services").EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToList();
            foreach (var service in parse.GetValue(services)!.Where(s => !known.Contains(s)))
            {
                throw new ReplicaException($"no service '{service}' in the environment{KeySuggestion.For(service, known)}; nothing was done", ReplicaErrorKind.BadInput);
            }
            var results = new List<JsonElement>();
            foreach (var service in parse.GetValue(services)!)
            {
                var path = $"api/services/{Uri.EscapeDataString(service)}/{verb}" + (waitFor is null ? "" : $"?wait={Uri.EscapeDataString(waitFor)}");
                var result = await client.PostAsync(path, ct);
                results.Add(result);
                if (!parse.GetValue(json))
                {
                    Console.Out.WriteLine(Describe(result));
                }
            }
            if (parse.GetValue(json))
            {
                JsonOutput.Write(results, JsonOutput.Types.ListJsonElement);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Describe(JsonElement result)
    {
        var where = result.TryGetProperty("pid", out var pid) ? $" pid {pid}" : result.TryGetProperty("container", out var c) ? $" container {c.GetString()![..Math.Min(12, c.GetString()!.Length)]}" : "";
        var endpoint = result.TryGetProperty("endpoint", out var e) ? $" {e.GetString()}" : "";
        return $"{result.GetProperty("service").GetString()}: {result.GetProperty("verb").GetString()} done in {result.GetProperty("seconds").GetDouble():0.00} s, {result.GetProperty("status").GetString()}{endpoint}{where}";
    }
}
