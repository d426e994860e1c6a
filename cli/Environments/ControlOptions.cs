using System.CommandLine;
using Replica.Cli.Commands;
using Replica.Cli.Control;
using Replica.Environments.Compose;
using Replica.Environments.Errors;
using Replica.Environments.Hosting;
using Replica.Proxy.Edge.Forwarding;

namespace Replica.Cli.Environments;

/// <summary>
/// `up`'s options for the interactive side: `--set SERVICE.KEY=VALUE` (settings on top of compose.yaml's), and where
/// the dashboard and control API listen (`--dashboard HOST:PORT`, loopback unless a token is given).
/// </summary>
internal sealed class ControlOptions
{
    public const string TokenVariable = "REPLICA_DASHBOARD_TOKEN";

    public Option<string[]> Set { get; } = new("--set")
    {
        Description = "A setting for a service, on top of compose.yaml's environment: SERVICE.KEY=VALUE (repeatable)",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string> Dashboard { get; } = new("--dashboard")
    {
        Description = "Where the dashboard and control API listen (default 127.0.0.1:0, a free port; a non-loopback address needs a token)",
        DefaultValueFactory = _ => "127.0.0.1:0",
    };

    public Option<string?> Token { get; } = new("--dashboard-token")
    {
        Description = $"A token every dashboard request must carry (default: ${TokenVariable}); required off loopback",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Set);
        command.Options.Add(Dashboard);
        command.Options.Add(Token);
    }

    /// <summary>The settings, checked against the topology, and the dashboard's address: bad input before anything starts.</summary>
    public ControlSelection Read(ParseResult parse, Topology topology)
    {
        var settings = new List<(string, string, string)>();
        foreach (var text in parse.GetValue(Set) ?? [])
        {
            var (service, key, value) = SetCommand.ParseDotted(text);
            if (!topology.Contains(service))
            {
                throw new ReplicaException($"--set {text}: no service '{service}' in {topology.SourceFile}{KeySuggestion.For(service, topology.Services.Select(s => s.Name))}", ReplicaErrorKind.BadInput);
            }
            settings.Add((service, key, value));
        }
        var token = parse.GetValue(Token) ?? System.Environment.GetEnvironmentVariable(TokenVariable);
        var listening = parse.GetValue(Dashboard)!;
        return new ControlSelection(settings, ControlServer.CheckListen(listening, token), listening, string.IsNullOrEmpty(token) ? null : token);
    }

    public static EnvironmentBuilder Apply(EnvironmentBuilder builder, IEnumerable<(string Service, string Key, string Value)> settings)
    {
        foreach (var (service, key, value) in settings)
        {
            builder = builder.WithSetting(service, key, value);
        }
        return builder;
    }

    /// <summary>The same choice, spelt out for the detached daemon (the token goes by environment variable, not on its command line).</summary>
    public static IReadOnlyList<string> Arguments(IEnumerable<(string Service, string Key, string Value)> settings, string listening) =>
        [.. settings.SelectMany(s => new[] { "--set", $"{s.Service}.{s.Key}={s.Value}" }), "--dashboard", listening];
}
