using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Replica.Cli.Environments;
using Replica.Environments.Errors;
using Replica.Proxy.Edge.Client;
using Replica.Proxy.Edge.Faults.Parsing;
using Spectre.Console;

namespace Replica.Cli.Commands;

/// <summary>`replica fault add|ls|rm|clear`: edit a running edge proxy's fault rules through its admin API.</summary>
internal static class FaultCommand
{
    private const string AdminUrlVariable = "REPLICA_PROXY_ADMIN_URL";
    internal const string AdminTokenVariable = "REPLICA_PROXY_ADMIN_TOKEN";

    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var admin = new Option<string?>("--admin") { Description = $"Admin API URL of the edge proxy (default: ${AdminUrlVariable}, else the running environment's)", Recursive = true };
        var token = new Option<string?>("--admin-token") { Description = $"Admin API token (default: ${AdminTokenVariable})", Recursive = true };
        var command = new Command("fault", "Add, list, remove or clear fault rules of a running edge proxy (rule format: proxy/Replica.Proxy.Edge/RULES.md)")
        {
            admin, token, Add(admin, token), List(admin, token), Remove(admin, token), Clear(admin, token),
        };
        return command;
    }

    private static Command Add(Option<string?> admin, Option<string?> token)
    {
        var json = new Option<string?>("--json") { Description = "The rule (or an array of rules) as JSON" };
        var file = new Option<FileInfo?>("--file") { Description = "A file holding the rule JSON" };
        var id = new Option<string?>("--id") { Description = "Rule id (default: assigned by the proxy)" };
        var route = new Option<string?>("--route") { Description = "Match: route name (e.g. backend, auth)" };
        var path = new Option<string?>("--path") { Description = "Match: path glob (e.g. /api/**)" };
        var method = new Option<string?>("--method") { Description = "Match: HTTP method" };
        var websocket = new Option<bool?>("--websocket") { Description = "Match: only WebSocket handshakes/connections (true) or only plain HTTP (false)" };
        var probability = new Option<double?>("--probability") { Description = "Chance 0..1 that a matching request is faulted" };
        var delay = new Option<double?>("--delay") { Description = "Action: delay requests by MS milliseconds" };
        var abort = new Option<int?>("--abort") { Description = "Action: answer with HTTP status STATUS" };
        var reset = new Option<bool>("--reset") { Description = "Action: drop the connection without a response" };
        var dropFrame = new Option<string?>("--drop-frame") { Description = "Action: drop WebSocket messages to the client whose JSON type is TYPE" };
        var close = new Option<int?>("--close") { Description = "Action: close WebSockets with CODE (with --reason and --after-frames or --after-ms)" };
        var reason = new Option<string?>("--reason") { Description = "Close reason (with --close)" };
        var afterFrames = new Option<int?>("--after-frames") { Description = "Close after N messages from the client (with --close)" };
        var afterMs = new Option<double?>("--after-ms") { Description = "Close MS milliseconds after the connection opened (with --close)" };
        var output = new Option<bool>("--json-output") { Description = "Print the added rules as JSON" };

        var command = new Command("add", "Add a rule: --json/--file, or shorthand flags for the common cases")
        {
            json, file, id, route, path, method, websocket, probability, delay, abort, reset, dropFrame, close, reason, afterFrames, afterMs, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var given = new[] { parse.GetValue(json) is not null, parse.GetValue(file) is not null, HasShorthandAction() }.Count(g => g);
            bool HasShorthandAction() => parse.GetValue(delay) is not null || parse.GetValue(abort) is not null || parse.GetValue(reset)
                                        || parse.GetValue(dropFrame) is not null || parse.GetValue(close) is not null;
            if (given != 1)
            {
                throw new ReplicaException("fault add: give the rule once: --json, --file, or one action flag (--delay, --abort, --reset, --drop-frame, --close)", ReplicaErrorKind.BadInput,
                    "e.g. replica fault add --path '/api/**' --abort 503");
            }

            string body;
            if (parse.GetValue(json) is { } text)
            {
                body = text;
            }
            else if (parse.GetValue(file) is { } f)
            {
                body = f.Exists ? await File.ReadAllTextAsync(f.FullName, cancellationToken)
                    : throw new ReplicaException($"--file: {f.FullName} does not exist", ReplicaErrorKind.BadInput);
            }
            else
            {
                var rule = new JsonObject();
                if (parse.GetValue(id) is { } i) rule["id"] = i;
                var match = new JsonObject();
                if (parse.GetValue(route) is { } r) match["route"] = r;
                if (parse.GetValue(path) is { } p) match["path"] = p;
                if (parse.GetValue(method) is { } m) match["method"] = m;
                if (parse.GetValue(websocket) is { } ws) match["websocket"] = ws;
                if (match.Count > 0) rule["match"] = match;
                if (parse.GetValue(probability) is { } pr) rule["probability"] = pr;
                JsonObject action;
                if (parse.GetValue(delay) is { } ms) action = new() { ["delay"] = new JsonObject { ["ms"] = ms } };
                else if (parse.GetValue(abort) is { } status) action = new() { ["abort"] = new JsonObject { ["status"] = status } };
                else if (parse.GetValue(reset)) action = new() { ["reset"] = new JsonObject() };
                else if (parse.GetValue(dropFrame) is { } type) action = new() { ["frameDrop"] = new JsonObject { ["direction"] = "toClient", ["frame"] = new JsonObject { ["type"] = type } } };
                else
                {
                    var closeAction = new JsonObject { ["code"] = parse.GetValue(close), ["reason"] = parse.GetValue(reason) ?? "", ["direction"] = "toUpstream" };
                    if (parse.GetValue(afterFrames) is { } n) closeAction["afterFrames"] = n;
                    if (parse.GetValue(afterMs) is { } t) closeAction["afterMs"] = t;
                    action = new() { ["close"] = closeAction };
                }
                rule["action"] = action;
                body = rule.ToJsonString();
            }

            // Check locally first: the same parser as the proxy's, so errors name the field before anything is sent.
            var parsed = FaultRuleParser.Parse(body);
            if (!parsed.Succeeded)
            {
                throw new ReplicaException($"invalid rule, nothing applied: {string.Join("; ", parsed.Errors)}", ReplicaErrorKind.BadInput);
            }
            using var client = Client(parse, admin, token);
            var added = await client.AddJsonAsync(body, cancellationToken);
            foreach (var rule in added)
            {
                Console.WriteLine(parse.GetValue(output)
                    ? FaultRuleWriter.Write(rule).ToJsonString(Readable)
                    : $"added rule {rule.Id}: {FaultRuleWriter.Write(rule).ToJsonString(Readable)}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(Option<string?> admin, Option<string?> token)
    {
        var json = new Option<bool>("--json") { Description = "Print the rules as JSON" };
        var command = new Command("ls", "List the rules of the edge proxy") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = Client(parse, admin, token);
            var rules = await client.ListAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                var array = new JsonArray(rules.Select(r => (JsonNode)new JsonObject
                {
                    ["rule"] = FaultRuleWriter.Write(r.Rule),
                    ["addedAt"] = r.AddedAt.ToString("O"),
                    ["injected"] = r.Injected,
                }).ToArray());
                Console.WriteLine(new JsonObject { ["rules"] = array }.ToJsonString(Readable));
                return ExitCodes.Success;
            }
            if (rules.Count == 0)
            {
                Console.WriteLine("no rules");
                return ExitCodes.Success;
            }
            var table = new Table().AddColumns("id", "match", "action", "probability", "injected");
            foreach (var status in rules)
            {
                var written = FaultRuleWriter.Write(status.Rule);
                table.AddRow(
                    Markup.Escape(status.Rule.Id ?? ""),
                    Markup.Escape(written["match"]?.ToJsonString(Readable) ?? "any"),
                    Markup.Escape(written["action"]!.ToJsonString(Readable)),
                    status.Rule.Probability.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    status.Injected.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            Terminal.Out.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Remove(Option<string?> admin, Option<string?> token)
    {
        var id = new Argument<string>("id") { Description = "Id of the rule to remove" };
        var command = new Command("rm", "Remove one rule") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = Client(parse, admin, token);
            var ruleId = parse.GetValue(id)!;
            if (!await client.RemoveAsync(ruleId, cancellationToken))
            {
                throw new ReplicaException($"no rule with id '{ruleId}'", ReplicaErrorKind.Failure, "`replica fault ls` lists the rules");
            }
            Console.WriteLine($"removed rule {ruleId}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Clear(Option<string?> admin, Option<string?> token)
    {
        var command = new Command("clear", "Remove every rule");
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = Client(parse, admin, token);
            var removed = await client.ClearAsync(cancellationToken);
            Console.WriteLine($"removed {removed} rule{(removed == 1 ? "" : "s")}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static EdgeProxyAdminClient Client(ParseResult parse, Option<string?> admin, Option<string?> token)
    {
        var url = parse.GetValue(admin) ?? Environment.GetEnvironmentVariable(AdminUrlVariable)
            ?? RunningEndpoints.Find(parse, Replica.Environments.Proxied.ReplicaEnvironment.EdgeAdminEndpoint);
        if (string.IsNullOrEmpty(url))
        {
            throw new ReplicaException($"no admin URL: no environment is up here; pass --admin URL or set {AdminUrlVariable}", ReplicaErrorKind.BadInput,
                "`replica proxy` prints its admin URL when it starts");
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ReplicaException($"--admin: '{url}' is not an absolute http:// URL", ReplicaErrorKind.BadInput);
        }
        return new EdgeProxyAdminClient(uri, parse.GetValue(token) ?? Environment.GetEnvironmentVariable(AdminTokenVariable));
    }
}
