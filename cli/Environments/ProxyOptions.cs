using System.CommandLine;
using Replica.Environments.Errors;
using Replica.Environments.Proxied;

namespace Replica.Cli.Environments;

/// <summary>
/// `--port` (where clients reach the edge proxy), `--seed` (the proxies' random source), `--tls` (https:// and wss://
/// at the edge) and `--network` (a network profile), for `up`.
/// </summary>
internal sealed class ProxyOptions
{
    public Option<int> Port { get; } = new("--port")
    {
        Description = "Port on 127.0.0.1 where clients reach the services through the edge proxy (default: a free one)",
    };

    public Option<int?> Seed { get; } = new("--seed")
    {
        Description = "Seed of the proxies' random sources (probabilities, jitter); printed and recorded when not given",
    };

    public Option<bool?> Tls { get; } = new("--tls")
    {
        Description = "Serve https:// and wss:// at the edge (certificate from the local CA, see `replica ca`); overrides x-replica.edge.tls",
    };

    public Option<string?> Network { get; } = new("--network")
    {
        Description = "Network profile for the client path and the dependencies (none, staging, or one compose.yaml declares)",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Port);
        command.Options.Add(Seed);
        command.Options.Add(Tls);
        command.Options.Add(Network);
    }

    public ReplicaEnvironmentOptions Read(ParseResult parse)
    {
        var port = parse.GetValue(Port);
        if (port is < 0 or > 65535)
        {
            throw new ReplicaException($"--port: expected a port from 1 to 65535, found {port}", kind: ReplicaErrorKind.BadInput);
        }
        return new ReplicaEnvironmentOptions
        {
            EdgeListen = $"127.0.0.1:{port}",
            Seed = parse.GetValue(Seed),
            EdgeTls = parse.GetValue(Tls),
            Network = parse.GetValue(Network),
            NetworkSetting = "--network",
        };
    }

    /// <summary>The same choice, spelt out for the detached daemon.</summary>
    public static IReadOnlyList<string> Arguments(ReplicaEnvironmentOptions options) =>
    [
        "--port", options.EdgeListen[(options.EdgeListen.LastIndexOf(':') + 1)..],
        .. options.Seed is { } seed ? new[] { "--seed", seed.ToString() } : [],
        .. options.EdgeTls is { } tls ? new[] { "--tls", tls ? "true" : "false" } : [],
        .. options.Network is { } network ? new[] { "--network", network } : [],
    ];
}
