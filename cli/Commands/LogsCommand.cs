using System.CommandLine;
using Replica.Cli.Environments;
using Replica.Environments.Compose;
using Replica.Environments.Errors;
using Replica.Environments.Hosting;

namespace Replica.Cli.Commands;

/// <summary>`replica logs SERVICE [--follow] [--tail N]`.</summary>
internal static class LogsCommand
{
    public static Command Create()
    {
        var service = new Argument<string[]>("service") { Description = "Service(s) to show, or edge / toxiproxy for the proxies' logs; all services when none", Arity = ArgumentArity.ZeroOrMore };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until Ctrl+C or the environment goes down" };
        var tail = new Option<int?>("--tail", "-n") { Description = "Only the last N lines" };
        var command = new Command("logs", "Print a service's output (stdout and stderr)") { service, follow, tail };
        // -f is --follow here, as in docker compose logs; the global --file keeps its long form.
        command.SetAction(async (parse, ct) =>
        {
            var options = EnvironmentOptions.From(parse);
            var name = options.ResolveName();
            var store = options.Store;
            var state = store.Read(name) ?? throw new ReplicaException($"environment '{name}' is not up", hint: "start it with `replica up`");
            // Besides the services: the proxies' logs (every injected fault is a line in edge.log).
            var proxyLogs = new[] { "edge", "toxiproxy" }
                .Select(p => (Name: p, File: Path.Combine(store.LogDirectoryOf(name), p + ".log")))
                .Where(p => File.Exists(p.File))
                .ToDictionary(p => p.Name, p => p.File);
            var wanted = parse.GetValue(service) is { Length: > 0 } names ? names : state.Services.Keys.Order(StringComparer.Ordinal).ToArray();
            var files = new List<(string, string)>();
            foreach (var n in wanted)
            {
                if (state.Services.TryGetValue(n, out var record))
                {
                    files.Add((n, record.LogFile));
                }
                else if (proxyLogs.TryGetValue(n, out var proxyLog))
                {
                    files.Add((n, proxyLog));
                }
                else
                {
                    var known = state.Services.Keys.Concat(proxyLogs.Keys).ToList();
                    throw new ReplicaException($"no service '{n}' in environment '{name}'{KeySuggestion.For(n, known)}; logs: {string.Join(", ", known)}", kind: ReplicaErrorKind.BadInput);
                }
            }
            var prefix = files.Count > 1;
            if (parse.GetValue(tail) is { } lines)
            {
                foreach (var (n, file) in files)
                {
                    foreach (var line in LogTail.Read(file, lines))
                    {
                        Console.Out.WriteLine(prefix ? $"{n} | {line}" : line);
                    }
                }
            }
            var follower = new LogFollower(files, prefix, color: Terminal.Interactive, fromEnd: parse.GetValue(tail) is not null);
            if (!parse.GetValue(follow))
            {
                if (parse.GetValue(tail) is null)
                {
                    follower.PrintNew();
                }
                return ExitCodes.Success;
            }
            using var signals = new SignalScope(ct);
            await follower.FollowAsync(() => store.Read(name) is null, signals.Token);
            return ExitCodes.Success;
        });
        return command;
    }
}
