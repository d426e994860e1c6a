using System.CommandLine;
using System.Diagnostics;
using Replica.Cli.Environments;
using Replica.Environments.Processes;
using Replica.Environments.Runtimes.Docker;
using Replica.Environments.State;

namespace Replica.Cli.Commands;

/// <summary>`replica down`: stop the environment and remove everything it made; also reaps what killed runs left.</summary>
internal static class DownCommand
{
    public static Command Create()
    {
        var timeout = new Option<int>("--timeout", "-t")
        {
            Description = "Seconds to wait for a graceful stop before killing",
            DefaultValueFactory = _ => 30,
        };
        var command = new Command("down", "Stop the environment and remove its processes or containers, data directories and state") { timeout };
        command.SetAction(async (parse, ct) =>
        {
            var options = EnvironmentOptions.From(parse);
            var name = options.ResolveName();
            var store = options.Store;
            var clock = Stopwatch.StartNew();
            var state = store.Read(name);
            var reaped = await new OrphanReaper(store).ReapOrphansAsync(ct);
            foreach (var other in reaped.Where(r => r != name))
            {
                Console.Out.WriteLine($"Reaped the leftovers of '{other}' (its owner was gone).");
            }
            if (state is null)
            {
                Console.Out.WriteLine($"Environment '{name}' is not up.");
                return ExitCodes.Success;
            }
            if (reaped.Contains(name))
            {
                var what = state.Runtime == DockerRuntime.RuntimeName ? "its containers and network" : $"{state.Processes.Count} process(es)";
                Console.Out.WriteLine($"Environment '{name}' had lost its owner (pid {state.Owner.Pid}); reaped {what} ({clock.Elapsed.TotalSeconds:0.00} s).");
                return ExitCodes.Success;
            }
            // A live owner (foreground `up` or daemon) tears down itself on SIGTERM; wait for it, then make sure.
            UnixSignal.Send(state.Owner.Pid, UnixSignal.SIGTERM);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(parse.GetValue(timeout));
            while (state.Owner.IsAlive && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20, ct);
            }
            if (state.Owner.IsAlive)
            {
                Console.Error.WriteLine($"replica: owner pid {state.Owner.Pid} did not stop within {parse.GetValue(timeout)} s; killing it");
                UnixSignal.Send(state.Owner.Pid, UnixSignal.SIGKILL);
            }
            if (store.Read(name) is { } left)
            {
                await new OrphanReaper(store).ReapAsync(left, ct);
            }
            Console.Out.WriteLine($"Environment '{name}' is down ({state.Services.Count} services, {clock.Elapsed.TotalSeconds:0.00} s).");
            return ExitCodes.Success;
        });
        return command;
    }
}
