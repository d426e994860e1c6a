using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Replica.Cli.Environments;
using Replica.Environments.Errors;
using Replica.Proxy.Tcp.Client;
using Replica.Proxy.Tcp.Toxics;
using Spectre.Console;

namespace Replica.Cli.Commands;

/// <summary>`replica toxic add|ls|rm|reset|enable|disable`: faults on a running Toxiproxy API (Replica's or Shopify's).</summary>
internal static class ToxicCommand
{
    private const string DefaultApi = "http://127.0.0.1:8474";

    public static Command Create()
    {
        var api = new Option<string>("--api")
        {
            Description = $"Toxiproxy API URL (default: $REPLICA_TOXIPROXY_URL, else the running environment's, else {DefaultApi})",
            Recursive = true,
        };
        var command = new Command("toxic", "Add, list and remove faults on the proxies of a Toxiproxy API") { api };
        command.Subcommands.Add(Add(api));
        command.Subcommands.Add(List(api));
        command.Subcommands.Add(Remove(api));
        command.Subcommands.Add(Reset(api));
        command.Subcommands.Add(Toggle(api, enabled: true));
        command.Subcommands.Add(Toggle(api, enabled: false));
        return command;
    }

    /// <summary>--api, else $REPLICA_TOXIPROXY_URL, else the API of the environment that is up, else Toxiproxy's default.</summary>
    private static string ApiUrl(ParseResult parse, Option<string> api) =>
        parse.GetValue(api) is { Length: > 0 } explicitUrl ? explicitUrl
        : Environment.GetEnvironmentVariable("REPLICA_TOXIPROXY_URL") is { Length: > 0 } url ? url
        : RunningEndpoints.Find(parse, Replica.Environments.Proxied.ReplicaEnvironment.ToxiproxyEndpoint) ?? DefaultApi;

    private static Command Add(Option<string> api)
    {
        var proxy = new Argument<string>("proxy") { Description = "Proxy name" };
        var type = new Option<string>("--type", "-t")
        {
            Description = $"Toxic type: {string.Join(", ", ToxicKinds.Names)}",
            Required = true,
        };
        var name = new Option<string?>("--name", "-n") { Description = "Toxic name (default: <type>_<stream>)" };
        var stream = new Option<string>("--stream", "-s") { Description = "upstream (client → server) or downstream", DefaultValueFactory = _ => "downstream" };
        var toxicity = new Option<float>("--toxicity") { Description = "Probability per connection, 0 to 1", DefaultValueFactory = _ => 1f };
        var attributes = new Option<string[]>("--attribute", "-a")
        {
            Description = "Attribute as key=value, repeatable (e.g. -a latency=100 -a jitter=10)",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("add", "Add a toxic to a proxy") { proxy, type, name, stream, toxicity, attributes };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var spec = new ToxicSpec(parseResult.GetValue(type)!)
            {
                Name = parseResult.GetValue(name),
                Stream = parseResult.GetValue(stream),
                Toxicity = parseResult.GetValue(toxicity),
                Attributes = ParseAttributes(parseResult.GetValue(attributes) ?? []),
            };
            using var client = Connect(ApiUrl(parseResult, api));
            var target = parseResult.GetValue(proxy)!;
            var toxic = await ToxiproxyErrorContext.ExplainAsync(
                client, target, () => client.AddToxicAsync(target, spec, cancellationToken), cancellationToken, type: spec.Type);
            Console.WriteLine($"added to {target}: {Describe(toxic)}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(Option<string> api)
    {
        var proxy = new Argument<string?>("proxy") { Description = "Only this proxy", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print JSON (Toxiproxy's proxy objects, in an array)" };
        var command = new Command("ls", "List proxies and their toxics") { proxy, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var client = Connect(ApiUrl(parseResult, api));
            var only = parseResult.GetValue(proxy);
            IReadOnlyList<ProxyInfo> proxies = only is null
                ? await client.GetProxiesAsync(cancellationToken)
                : [await ToxiproxyErrorContext.ExplainAsync(client, only, () => client.GetProxyAsync(only, cancellationToken), cancellationToken)];
            if (parseResult.GetValue(json))
            {
                WriteJson(proxies);
            }
            else if (Console.IsOutputRedirected)
            {
                // A table wrapped at 80 columns helps no one reading a pipe or a log.
                WriteLines(proxies);
            }
            else
            {
                WriteTable(proxies);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Remove(Option<string> api)
    {
        var proxy = new Argument<string>("proxy") { Description = "Proxy name" };
        var toxic = new Argument<string>("toxic") { Description = "Toxic name" };
        var command = new Command("rm", "Remove a toxic from a proxy") { proxy, toxic };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var client = Connect(ApiUrl(parseResult, api));
            var (target, name) = (parseResult.GetValue(proxy)!, parseResult.GetValue(toxic)!);
            await ToxiproxyErrorContext.ExplainAsync(
                client, target, () => client.RemoveToxicAsync(target, name, cancellationToken), cancellationToken, toxic: name);
            Console.WriteLine($"removed {name} from {target}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Reset(Option<string> api)
    {
        var command = new Command("reset", "Enable every proxy and remove every toxic (toxics declared with a proxy come back)");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var client = Connect(ApiUrl(parseResult, api));
            await client.ResetAsync(cancellationToken);
            Console.WriteLine("reset: every proxy enabled, toxics back to those declared");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Toggle(Option<string> api, bool enabled)
    {
        var proxy = new Argument<string>("proxy") { Description = "Proxy name" };
        var command = new Command(enabled ? "enable" : "disable",
            enabled ? "Enable a proxy: it listens again" : "Disable a proxy (the \"down\" toxic): its port closes and every connection drops")
        {
            proxy,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var client = Connect(ApiUrl(parseResult, api));
            var target = parseResult.GetValue(proxy)!;
            var result = await ToxiproxyErrorContext.ExplainAsync(client, target, () => client.SetEnabledAsync(target, enabled, cancellationToken), cancellationToken);
            Console.WriteLine($"{result.Name} {(result.Enabled ? "enabled" : "disabled")} ({result.Listen} → {result.Upstream})");
            return ExitCodes.Success;
        });
        return command;
    }

    private static ToxiproxyClient Connect(string api)
    {
        if (!Uri.TryCreate(api.EndsWith('/') ? api : api + "/", UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new ReplicaException($"--api {api}: expected an http:// URL such as {DefaultApi}", ReplicaErrorKind.BadInput);
        }
        return new ToxiproxyClient(url);
    }

    /// <summary>key=value pairs; values that read as integers or numbers are sent as JSON numbers, others as strings.</summary>
    private static Dictionary<string, object?> ParseAttributes(IEnumerable<string> pairs)
    {
        var attributes = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0)
            {
                throw new ReplicaException($"--attribute \"{pair}\": expected key=value, e.g. latency=100", ReplicaErrorKind.BadInput);
            }
            var value = pair[(equals + 1)..];
            attributes[pair[..equals]] = long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer) ? integer
                : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number
                : value;
        }
        return attributes;
    }

    private static void WriteLines(IReadOnlyList<ProxyInfo> proxies)
    {
        foreach (var proxy in proxies)
        {
            Console.WriteLine($"{proxy.Name} {proxy.Listen} -> {proxy.Upstream} {(proxy.Enabled ? "enabled" : "disabled")}");
            foreach (var toxic in proxy.Toxics)
            {
                Console.WriteLine($"  {Describe(toxic)}");
            }
        }
    }

    private static string Describe(ToxicInfo toxic) =>
        $"{toxic.Name}: {toxic.Type} {toxic.Stream} toxicity {toxic.Toxicity.ToString(CultureInfo.InvariantCulture)} {toxic.DescribeAttributes()}".TrimEnd();

    private static void WriteTable(IReadOnlyList<ProxyInfo> proxies)
    {
        if (proxies.Count == 0)
        {
            Console.WriteLine("no proxies");
            return;
        }
        var table = new Table().AddColumns("proxy", "listen", "upstream", "enabled", "toxics");
        foreach (var proxy in proxies)
        {
            var toxics = proxy.Toxics.Select(Describe);
            table.AddRow(
                Markup.Escape(proxy.Name), Markup.Escape(proxy.Listen), Markup.Escape(proxy.Upstream),
                proxy.Enabled ? "yes" : "[red]no[/]",
                Markup.Escape(proxy.Toxics.Count == 0 ? "-" : string.Join("\n", toxics)));
        }
        Terminal.Out.Write(table);
    }

    private static void WriteJson(IReadOnlyList<ProxyInfo> proxies)
    {
        using var output = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var proxy in proxies)
            {
                w.WriteStartObject();
                w.WriteString("name", proxy.Name);
                w.WriteString("listen", proxy.Listen);
                w.WriteString("upstream", proxy.Upstream);
                w.WriteBoolean("enabled", proxy.Enabled);
                w.WriteStartArray("toxics");
                foreach (var toxic in proxy.Toxics)
                {
                    w.WriteStartObject();
                    w.WriteStartObject("attributes");
                    foreach (var (key, value) in toxic.Attributes)
                    {
                        w.WritePropertyName(key);
                        value.WriteTo(w);
                    }
                    w.WriteEndObject();
                    w.WriteString("name", toxic.Name);
                    w.WriteString("type", toxic.Type);
                    w.WriteString("stream", toxic.Stream);
                    w.WriteNumber("toxicity", toxic.Toxicity);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        output.WriteByte((byte)'\n');
    }
}
