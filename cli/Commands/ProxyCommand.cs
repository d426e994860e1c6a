using System.CommandLine;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Replica.Environments.Compose;
using Replica.Environments.Errors;
using Replica.Proxy.Edge;
using Replica.Proxy.Edge.Forwarding;
using Replica.Proxy.Edge.Tls;
using Replica.Proxy.Tcp.Network;

namespace Replica.Cli.Commands;

/// <summary>`replica proxy`: runs the edge proxy in the foreground in front of any upstream, until Ctrl+C.</summary>
internal static class ProxyCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "HOST:PORT for client traffic (port 0: a free port)", DefaultValueFactory = _ => "127.0.0.1:0" };
        var upstream = new Option<string?>("--upstream") { Description = "URL that every request not matched by a --route goes to" };
        var routes = new Option<string[]>("--route") { Description = "NAME=PATTERN=URL, e.g. auth=/auth/**=http://127.0.0.1:5001 (repeatable, tried in order)", AllowMultipleArgumentsPerToken = false };
        var admin = new Option<string>("--admin") { Description = "HOST:PORT of the admin API (port 0: a free port)", DefaultValueFactory = _ => "127.0.0.1:0" };
        var adminToken = new Option<string?>("--admin-token") { Description = "Token the admin API requires (required when --admin is not loopback)" };
        var seed = new Option<int?>("--seed") { Description = "Seed of the fault random source (default: a random seed, printed)" };
        var idleTimeout = new Option<double>("--idle-timeout") { Description = "Seconds a request may wait for the upstream, or a WebSocket stay silent", DefaultValueFactory = _ => 900 };
        var compression = new Option<bool>("--allow-websocket-compression") { Description = "Keep permessage-deflate (compressed messages are then never dropped or matched)" };
        var tls = new Option<bool>("--tls") { Description = "Serve https:// and wss:// (HTTP/2 by ALPN beside HTTP/1.1) with a certificate from the local CA (see `replica ca`); upstreams stay plain" };
        var tlsHosts = new Option<string[]>("--tls-host") { Description = "Another name (or IP) the issued certificate covers besides localhost, 127.0.0.1 and ::1 (repeatable)", AllowMultipleArgumentsPerToken = false };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "PEM certificate to serve instead of issuing one (implies --tls; needs --tls-key)" };
        var tlsKey = new Option<string?>("--tls-key") { Description = "PEM private key of --tls-cert" };
        var network = new Option<string?>("--network") { Description = "Network profile whose client path every connection crosses (none, staging)" };
        var forwarding = new Option<string>("--forwarding")
        {
            Description = "tuned (default): Replica's forwarding; yarp-defaults: YARP's and Kestrel's defaults, for comparison",
            DefaultValueFactory = _ => "tuned",
        };
        forwarding.AcceptOnlyFromAmong("tuned", "yarp-defaults");
        var inlineIoOption = new Option<bool>("--inline-io")
        {
            Description = "Run requests on the socket threads: up to a quarter less CPU per request in some runs, no saving in others, and in most runs a longer tail (p99 up to +2 ms at 32 connections; bench/RESULTS.md)",
        };
        var json = new Option<bool>("--json") { Description = "Print the listen URL, admin URL and seed as one JSON line" };

        var command = new Command("proxy", "Run the edge proxy (HTTP + WebSocket fault injection) in the foreground until Ctrl+C")
        {
            listen, upstream, routes, admin, adminToken, seed, idleTimeout, compression, tls, tlsHosts, tlsCert, tlsKey, network, forwarding, inlineIoOption, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var profile = parse.GetValue(forwarding) == "yarp-defaults" ? ForwardingProfile.YarpDefaults : ForwardingProfile.Tuned;
            // Before any socket is opened: the runtime reads this once, at the process's first asynchronous socket call.
            var inlineIo = parse.GetValue(inlineIoOption) && InlineSocketCompletions.Enable();
            var edgeRoutes = ParseRoutes(parse.GetValue(routes) ?? [], parse.GetValue(upstream));
            var networkProfile = NetworkDefinition.Default.Select(parse.GetValue(network), "--network");
            var certificateFile = parse.GetValue(tlsCert);
            var keyFile = parse.GetValue(tlsKey);
            var tlsOptions = parse.GetValue(tls) || certificateFile is not null || keyFile is not null
                ? new EdgeTlsOptions { Hosts = parse.GetValue(tlsHosts) ?? [], CertificateFile = certificateFile, KeyFile = keyFile }
                : null;
            if (tlsOptions is null && parse.GetValue(tlsHosts) is { Length: > 0 })
            {
                throw new ReplicaException("--tls-host: names a host of the TLS certificate, but TLS is off: add --tls", ReplicaErrorKind.BadInput);
            }
            using var loggerFactory = LoggerFactory.Create(b => b
                .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
                // The log (one line per injected fault) goes to stderr; stdout carries only the URLs and seed.
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                .SetMinimumLevel(LogLevel.Information)
                .AddFilter("Microsoft", LogLevel.Warning)
                .AddFilter("Yarp", LogLevel.Warning)
                // A listener that cannot bind is reported once, by name (--listen, --admin), not as the host's stack trace.
                .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical));
            var options = new EdgeProxyOptions
            {
                Listen = parse.GetValue(listen)!,
                Routes = edgeRoutes,
                Admin = parse.GetValue(admin),
                AdminToken = parse.GetValue(adminToken) ?? Environment.GetEnvironmentVariable("REPLICA_PROXY_ADMIN_TOKEN"),
                Seed = parse.GetValue(seed),
                IdleTimeout = TimeSpan.FromSeconds(parse.GetValue(idleTimeout) is > 0 and var s ? s : throw new ReplicaException("--idle-timeout: must be a positive number of seconds", ReplicaErrorKind.BadInput)),
                AllowWebSocketCompression = parse.GetValue(compression),
                Tls = tlsOptions,
                Forwarding = profile,
                InlineIo = inlineIo,
                ClientNetwork = new LinkShape(networkProfile.Clients.RoundTrip, networkProfile.Clients.Jitter, networkProfile.Clients.BytesPerSecond),
                LoggerFactory = loggerFactory,
            };

            // Ctrl+C and SIGTERM end the server: SignalScope owns signal handling for every command.
            using var signals = new SignalScope(cancellationToken);
            await using var proxy = await StartAsync(options, signals.Token);
            if (parse.GetValue(json))
            {
                Console.WriteLine(new JsonObject
                {
                    ["url"] = proxy.Url.OriginalString,
                    ["adminUrl"] = proxy.AdminUrl?.OriginalString,
                    ["seed"] = proxy.Seed,
                    ["certificateAuthority"] = proxy.CertificateAuthorityPath,
                }.ToJsonString());
            }
            else
            {
                Console.WriteLine($"replica edge proxy listening on {proxy.Url}");
                Console.WriteLine($"  admin API: {proxy.AdminUrl}");
                Console.WriteLine($"  seed:      {proxy.Seed}");
                if (proxy.CertificateAuthorityPath is { } authority)
                {
                    Console.WriteLine($"  TLS:       certificate issued by the local CA {authority} (`replica ca` says how clients trust it)");
                }
                if (!proxy.ClientNetwork.IsNone)
                {
                    Console.WriteLine($"  network:   {networkProfile.Name}: clients {proxy.ClientNetwork}");
                }
                foreach (var route in proxy.Routes)
                {
                    Console.WriteLine($"  route {route.Name}: {route.Pattern} -> {route.Upstream}");
                }
                Console.WriteLine($"  export REPLICA_PROXY_ADMIN_URL={proxy.AdminUrl}   # for `replica fault ...`");
                Console.WriteLine("Ctrl+C stops.");
            }
            try
            {
                await Task.Delay(Timeout.Infinite, signals.Token);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C is how a foreground proxy ends: a normal exit.
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<EdgeProxy> StartAsync(EdgeProxyOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await EdgeProxy.StartAsync(options, cancellationToken);
        }
        catch (ArgumentException ex)
        {
            // The library names its option (Listen, Admin); the user typed the flag.
            var message = ex.Message.Split(" (Parameter")[0];
            var flag = ex.ParamName switch
            {
                nameof(EdgeProxyOptions.Listen) => "--listen",
                nameof(EdgeProxyOptions.Admin) => "--admin",
                _ => null,
            };
            if (flag is not null && message.StartsWith(ex.ParamName + ":", StringComparison.Ordinal))
            {
                message = flag + message[ex.ParamName!.Length..];
            }
            throw new ReplicaException(message, ReplicaErrorKind.BadInput);
        }
        catch (TlsSettingsException ex)
        {
            var setting = ex.Setting switch
            {
                TlsSetting.Certificate => "--tls-cert",
                TlsSetting.Key => "--tls-key",
                TlsSetting.Hosts => "--tls-host",
                _ => "the local certificate authority (REPLICA_CA_DIR)",
            };
            throw new ReplicaException($"{setting}: {ex.Message}", ReplicaErrorKind.BadInput);
        }
        catch (ProxyListenException ex)
        {
            var setting = ex.Setting == nameof(EdgeProxyOptions.Admin) ? "--admin" : "--listen";
            throw new ReplicaException($"{setting}: cannot listen on {ex.Address}: {ex.InnerException?.Message ?? ex.Message}", ReplicaErrorKind.MissingPrerequisite,
                ex.AddressInUse ? $"the port is taken: choose another {setting}, or port 0 for a free one" : null);
        }
    }

    internal static IReadOnlyList<EdgeRoute> ParseRoutes(IReadOnlyList<string> routes, string? upstream)
    {
        var parsed = new List<EdgeRoute>();
        foreach (var route in routes)
        {
            var parts = route.Split('=', 3);
            if (parts.Length != 3 || parts.Any(p => p.Length == 0))
            {
                throw new ReplicaException($"--route '{route}': expected NAME=PATTERN=URL, e.g. auth=/auth/**=http://127.0.0.1:5001", ReplicaErrorKind.BadInput);
            }
            parsed.Add(new EdgeRoute(parts[0], parts[1], ParseUrl(parts[2], $"--route '{route}'")));
        }
        if (upstream is not null)
        {
            parsed.Add(new EdgeRoute("default", "/{**rest}", ParseUrl(upstream, "--upstream")));
        }
        if (parsed.Count == 0)
        {
            throw new ReplicaException("no upstream: give --upstream URL and/or --route NAME=PATTERN=URL", ReplicaErrorKind.BadInput,
                "e.g. replica proxy --listen 127.0.0.1:8080 --upstream http://127.0.0.1:8000");
        }
        return parsed;
    }

    private static Uri ParseUrl(string value, string field)
        => Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ReplicaException($"{field}: '{value}' is not an absolute http:// or https:// URL", ReplicaErrorKind.BadInput);
}
