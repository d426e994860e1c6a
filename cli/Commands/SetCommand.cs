using System.CommandLine;
using System.Text.Json;
using Replica.Cli.Control;
using Replica.Cli.Environments;
using Replica.Cli.Json;
using Replica.Cli.Scenarios;
using Replica.Environments.Errors;

namespace Replica.Cli.Commands;

/// <summary>
/// `replica set SERVICE KEY=VALUE… [--no-restart]` and `replica set --variant SCENARIO:VARIANT`: changes settings of the
/// running environment's services (on top of compose.yaml's environment), records them in the state (`status` shows
/// them), and restarts each changed service, health-gated, unless told not to. Everything is checked before anything
/// changes; a service that does not come up with its new settings gets its previous ones back.
/// </summary>
internal static class SetCommand
{
    public static Command Create()
    {
        var arguments = new Argument<string[]>("setting") { Description = "SERVICE then KEY=VALUE…", Arity = ArgumentArity.ZeroOrMore };
        var variant = new Option<string?>("--variant") { Description = "Apply a scenario variant's settings: SCENARIO:VARIANT (e.g. r2:baseline)" };
        var noRestart = new Option<bool>("--no-restart") { Description = "Only record the settings: they apply at the service's next (re)start" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var command = new Command("set", "Change settings of running services and restart them (or apply a scenario variant's)") { arguments, variant, noRestart, json };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(variant) is not null && parse.GetValue(arguments) is { Length: > 0 })
            {
                throw new ReplicaException("set: give either --variant SCENARIO:VARIANT or SERVICE KEY=VALUE…, not both", ReplicaErrorKind.BadInput);
            }
            IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> settings = parse.GetValue(variant) is { } named
                ? VariantSettings(named, parse)
                : ParseArguments(parse.GetValue(arguments) ?? []).ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, string>)p.Value);
            using var client = ControlClient.Connect(EnvironmentOptions.From(parse));
            var result = await client.PostAsync("api/settings", new SettingsRequest(settings, !parse.GetValue(noRestart)), ControlJsonContext.Default.SettingsRequest, ct);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(result, JsonOutput.Types.JsonElement);
                return ExitCodes.Success;
            }
            foreach (var change in result.GetProperty("changed").EnumerateArray())
            {
                var values = string.Join(" ", change.GetProperty("settings").EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}"));
                var what = change.GetProperty("restarted").GetBoolean() ? $"restarted, {change.GetProperty("status").GetString()}" : "applies at its next start";
                Console.Out.WriteLine($"{change.GetProperty("service").GetString()}: {values} ({what})");
            }
            foreach (var same in result.GetProperty("unchanged").EnumerateArray())
            {
                Console.Out.WriteLine($"{same.GetString()}: unchanged (already set)");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>SERVICE KEY=VALUE…: every pair checked here, so a typo changes nothing.</summary>
    internal static Dictionary<string, Dictionary<string, string>> ParseArguments(IReadOnlyList<string> arguments)
    {
        if (arguments.Count < 2)
        {
            throw new ReplicaException("set: expected SERVICE KEY=VALUE… (e.g. replica set backend R2_WEBSOCKET_READINESS=fixed), or --variant SCENARIO:VARIANT",
                ReplicaErrorKind.BadInput);
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in arguments.Skip(1))
        {
            values[Key(pair, pair)] = pair[(pair.IndexOf('=') + 1)..];
        }
        return new() { [arguments[0]] = values };
    }

    /// <summary>`up --set SERVICE.KEY=VALUE`: the service, key and value, checked.</summary>
    internal static (string Service, string Key, string Value) ParseDotted(string text)
    {
        var equals = text.IndexOf('=');
        var dot = equals > 0 ? text.LastIndexOf('.', equals - 1) : -1;
        if (dot <= 0)
        {
            throw new ReplicaException($"--set {text}: expected SERVICE.KEY=VALUE (e.g. backend.R2_WEBSOCKET_READINESS=fixed)", ReplicaErrorKind.BadInput);
        }
        var key = Key(text[(dot + 1)..], $"--set {text}");
        return (text[..dot], key, text[(equals + 1)..]);
    }

    private static string Key(string pair, string context)
    {
        var equals = pair.IndexOf('=');
        var key = equals > 0 ? pair[..equals] : "";
        if (!SettingsRequest.IsKey(key))
        {
            throw new ReplicaException($"{context}: expected KEY=VALUE with KEY an environment variable name (letters, digits, _)", ReplicaErrorKind.BadInput);
        }
        return key;
    }

    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> VariantSettings(string named, ParseResult parse)
    {
        var colon = named.LastIndexOf(':');
        if (colon <= 0 || colon == named.Length - 1)
        {
            throw new ReplicaException($"--variant {named}: expected SCENARIO:VARIANT (e.g. r2:baseline)", ReplicaErrorKind.BadInput);
        }
        var (scenario, _) = ScenarioSession.Load(named[..colon], parse);
        return scenario.SettingsFor(scenario.Variant(named[(colon + 1)..]));
    }
}
