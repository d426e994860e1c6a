using System.CommandLine;
using System.Diagnostics;
using Replica.Cli.Control;
using Replica.Cli.Environments;
using Replica.Environments.Compose;
using Replica.Environments.Hosting;
using Replica.Environments.Proxied;
using Replica.Environments.State;

namespace Replica.Cli.Commands;

/// <summary>`replica up`: bring the environment up, health-gated; foreground until Ctrl+C, or --detach.</summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var detach = new Option<bool>("--detach", "-d") { Description = "Run in the background; `replica down` stops it" };
        var json = new Option<bool>("--json") { Description = "With --detach: print the status as JSON once up" };
        var daemon = new Option<bool>("--daemon") { Description = "Internal: host a detached environment", Hidden = true };
        var runtimeOptions = new RuntimeOptions();
        var proxyOptions = new ProxyOptions();
        var controlOptions = new ControlOptions();
        var command = new Command("up", "Bring the environment up: every service started in dependency order, each health-gated")
        {
            detach, json, daemon,
        };
        runtimeOptions.AddTo(command);
        proxyOptions.AddTo(command);
        controlOptions.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var options = EnvironmentOptions.From(parse);
            var runtime = runtimeOptions.Read(parse);
            var proxies = proxyOptions.Read(parse);
            var control = controlOptions.Read(parse, options.LoadTopology()); // bad input here, before anything starts
            if (parse.GetValue(daemon))
            {
                return await RunDaemonAsync(options, runtime, proxies, control, ct);
            }
            return parse.GetValue(detach)
                ? await RunDetachedAsync(options, runtime, proxies, control, parse.GetValue(json), ct)
                : await RunForegroundAsync(options, runtime, proxies, control, ct);
        });
        return command;
    }

    private static async Task<int> RunForegroundAsync(EnvironmentOptions options, RuntimeSelection runtime, ReplicaEnvironmentOptions proxies, ControlSelection control, CancellationToken ct)
    {
        var topology = options.LoadTopology();
        topology.Network.Select(proxies.Network, "--network"); // an unknown profile is bad input: nothing starts
        var printer = new ProgressPrinter(Console.Out, Terminal.Interactive);
        var name = options.ExplicitName ?? topology.Name;
        using var signals = SignalScope.ForEnvironment(ct, options.Store, name);
        var builder = ControlOptions.Apply(runtime.Apply(options.Builder(topology)).WithObserver(printer.Print), control.Settings);
        await using var environment = await ReplicaEnvironment.StartAsync(builder, proxies, signals.Token);
        await using var server = await ControlServer.StartAsync(environment, control.Listen, control.Token, signals.Token);
        await PrintStatusAsync(environment.Environment, json: false, CancellationToken.None);
        PrintEdgeShape(environment);
        Console.Out.WriteLine($"Dashboard: {server.Url}");
        Console.Out.WriteLine("Following logs; Ctrl+C stops and removes the environment.");
        var logs = environment.Environment.LogDirectory;
        var follower = new LogFollower(
            environment.Environment.Services.Where(s => s.Instance is not null).Select(s => (s.Name, s.Instance!.LogFile))
                .Append(("edge", Path.Combine(logs, "edge.log"))).Append(("toxiproxy", Path.Combine(logs, "toxiproxy.log"))).ToList(),
            prefix: true, color: Terminal.Interactive);
        await follower.FollowAsync(() => false, signals.Token);
        var clock = Stopwatch.StartNew();
        Console.Out.WriteLine("Stopping…");
        await server.DisposeAsync();
        await environment.DisposeAsync();
        Console.Out.WriteLine($"Environment '{environment.Name}' is down ({clock.Elapsed.TotalSeconds:0.00} s).");
        return ExitCodes.Interrupted;
    }

    private static async Task<int> RunDetachedAsync(EnvironmentOptions options, RuntimeSelection runtime, ReplicaEnvironmentOptions proxies, ControlSelection control, bool json, CancellationToken ct)
    {
        var topology = options.LoadTopology(); // bad input is reported here, before anything starts
        topology.Network.Select(proxies.Network, "--network");
        var name = options.ExplicitName ?? topology.Name;
        List<string> args = ["up", "--daemon", "--file", Path.GetFullPath(options.ComposeFile), "--name", name, .. runtime.Arguments, .. ProxyOptions.Arguments(proxies),
            .. ControlOptions.Arguments(control.Settings, control.Listening)];
        var output = json ? Console.Error : Console.Out;
        int code;
        using (var signals = SignalScope.ForEnvironment(ct, options.Store, name))
        {
            code = await DaemonLauncher.LaunchAsync(args, line => output.WriteLine(line), line => Console.Error.WriteLine(line), signals.Token,
                control.Token is { } token ? new Dictionary<string, string> { [ControlOptions.TokenVariable] = token } : null);
        }
        if (code != 0)
        {
            return code;
        }
        var state = options.Store.Read(name);
        if (state is null)
        {
            Console.Error.WriteLine($"replica: the environment daemon reported up, but '{name}' has no state");
            return ExitCodes.Failure;
        }
        var report = await EnvironmentStatusReport.BuildAsync(state, ct);
        if (json)
        {
            StatusRenderer.WriteJson(report);
        }
        else
        {
            StatusRenderer.WriteTable(report);
            if (report.Endpoints.TryGetValue(ControlServer.Endpoint, out var dashboard))
            {
                Console.Out.WriteLine($"Dashboard: {dashboard}/");
            }
            Console.Out.WriteLine("Stop it with: replica down" + (options.ExplicitName is null ? "" : $" --name {name}"));
        }
        return ExitCodes.Success;
    }

    private static async Task<int> RunDaemonAsync(EnvironmentOptions options, RuntimeSelection runtime, ReplicaEnvironmentOptions proxies, ControlSelection control, CancellationToken ct)
    {
        var topology = options.LoadTopology();
        var name = options.ExplicitName ?? topology.Name;
        using var signals = SignalScope.ForEnvironment(ct, options.Store, name);
        var printer = new ProgressPrinter(Console.Out, color: false);
        var builder = ControlOptions.Apply(runtime.Apply(options.Builder(topology)).WithObserver(printer.Print).AsDetached(), control.Settings);
        await using var environment = await ReplicaEnvironment.StartAsync(builder, proxies, signals.Token);
        await using var server = await ControlServer.StartAsync(environment, control.Listen, control.Token, signals.Token);
        var log = new StreamWriter(Path.Combine(options.Store.DirectoryOf(name), "daemon.log"), append: true) { AutoFlush = true };
        Console.Out.WriteLine(DaemonLauncher.ReadyMarker);
        Console.Out.Flush();
        // From here on nobody reads the pipe: later output goes to the environment's daemon.log.
        Console.SetOut(log);
        Console.SetError(log);
        try
        {
            await Task.Delay(Timeout.Infinite, signals.Token);
        }
        catch (OperationCanceledException)
        {
        }
        Console.Out.WriteLine($"{DateTimeOffset.Now:O} stopping on {signals.Received}");
        await server.DisposeAsync();
        await environment.DisposeAsync();
        return ExitCodes.Success;
    }

    /// <summary>The network profile and, with TLS, the authority clients must trust: what the status table does not say.</summary>
    private static void PrintEdgeShape(ReplicaEnvironment environment)
    {
        if (environment.Network != NetworkProfiles.None)
        {
            Console.Out.WriteLine($"Network profile {environment.Network.Name}: clients {environment.Network.Clients}; dependencies {environment.Network.Dependencies}");
        }
        if (environment.EdgeCertificateAuthority is { } authority)
        {
            Console.Out.WriteLine($"TLS at the edge: trust {authority} (`replica ca` prints how)");
        }
    }

    internal static async Task PrintStatusAsync(RunningEnvironment environment, bool json, CancellationToken ct)
    {
        if (environment.State is not { } state)
        {
            return;
        }
        var report = await EnvironmentStatusReport.BuildAsync(state, ct);
        if (json)
        {
            StatusRenderer.WriteJson(report);
        }
        else
        {
            StatusRenderer.WriteTable(report);
        }
    }
}
