using System.CommandLine;
using Microsoft.Extensions.Logging;
using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Configuration;
using Replica.Proxy.Tcp.Network;
using Replica.Proxy.Tcp.Proxies;

namespace Replica.Cli.Commands;

/// <summary>
/// `replica toxiproxy`: a drop-in for toxiproxy-server (its single-dash flags work too) running until Ctrl+C or
/// SIGTERM, then closing every listener and connection.
/// </summary>
internal static class ToxiproxyCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host", "-host") { Description = "Address the HTTP API listens on", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port", "-port") { Description = "Port of the HTTP API (0: any free port)", DefaultValueFactory = _ => 8474 };
        var config = new Option<FileInfo?>("--config", "-config") { Description = "JSON file of proxies to create at start, in the /populate format (toxics allowed)" };
        var seed = new Option<int?>("--seed", "-seed") { Description = "Seed for toxicity draws, jitter and slicing; random when not given" };
        var proxyMetrics = new Option<bool>("--proxy-metrics", "-proxy-metrics") { Description = "Serve byte counters per proxy on /metrics" };
        var runtimeMetrics = new Option<bool>("--runtime-metrics", "-runtime-metrics") { Description = "Serve process figures on /metrics" };
        var inlineIo = new Option<bool>("--inline-io")
        {
            Description = "Run proxied connections on the socket threads: one thread-pool wake-up fewer in each direction (bench/RESULTS.md); code that blocks there would stall the connections it serves",
        };
        var command = new Command("toxiproxy", "Run a TCP fault proxy server with Toxiproxy's HTTP API (toxiproxy-cli and its clients work against it)")
        {
            host, port, config, seed, proxyMetrics, runtimeMetrics, inlineIo,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            // Before any socket is opened: the runtime reads this once, at the process's first asynchronous socket call.
            var inline = parseResult.GetValue(inlineIo) && InlineSocketCompletions.Enable();
            var configFile = parseResult.GetValue(config);
            var definitions = configFile is null ? [] : ProxyConfigFile.Load(configFile.FullName);
            using var loggerFactory = LoggerFactory.Create(logging => logging
                .AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "HH:mm:ss ";
                })
                .SetMinimumLevel(LogLevelFromEnvironment()));
            var options = new ToxiproxyServerOptions
            {
                Host = parseResult.GetValue(host)!,
                Port = parseResult.GetValue(port),
                Seed = parseResult.GetValue(seed),
                ProxyMetrics = parseResult.GetValue(proxyMetrics),
                RuntimeMetrics = parseResult.GetValue(runtimeMetrics),
                LoggerFactory = loggerFactory,
            };
            // Ctrl+C and SIGTERM end the server: SignalScope owns signal handling for every command.
            using var signals = new SignalScope(cancellationToken);
            await using var server = await ToxiproxyServer.StartAsync(options, signals.Token);
            try
            {
                server.Proxies.Populate(definitions);
            }
            catch (ToxiproxyException e)
            {
                // Nothing stays half-created: disposing the server (await using) closes what the config opened so far.
                throw ProxyConfigFile.Invalid(configFile!.FullName, e);
            }
            Console.WriteLine($"toxiproxy API listening on {server.ApiUrl} (seed {server.Seed}); {definitions.Count} proxies from config;{(inline ? " inline I/O;" : "")} Ctrl+C stops");
            try
            {
                await Task.Delay(Timeout.Infinite, signals.Token);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: the normal way to stop a server.
            }
            Console.WriteLine("toxiproxy stopping: closing listeners and connections");
            return ExitCodes.Success;
        });
        return command;
    }

    // toxiproxy-server reads LOG_LEVEL; the same names work here.
    private static LogLevel LogLevelFromEnvironment() => Environment.GetEnvironmentVariable("LOG_LEVEL")?.ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "fatal" or "panic" => LogLevel.Critical,
        _ => LogLevel.Information,
    };
}
