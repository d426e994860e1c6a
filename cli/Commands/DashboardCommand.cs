using System.CommandLine;
using System.Diagnostics;
using Replica.Cli.Control;
using Replica.Cli.Environments;
using Replica.Environments.Errors;
using Replica.Environments.Processes;
using Replica.Environments.State;

namespace Replica.Cli.Commands;

/// <summary>`replica dashboard [--open]`: the running environment's dashboard URL, printed (or opened in a browser).</summary>
internal static class DashboardCommand
{
    public static Command Create()
    {
        var open = new Option<bool>("--open") { Description = "Open it with xdg-open as well" };
        var command = new Command("dashboard", "Print (or --open) the URL of the running environment's live dashboard") { open };
        command.SetAction(async (parse, ct) =>
        {
            var options = EnvironmentOptions.From(parse);
            var name = options.ResolveName();
            var state = options.Store.Read(name);
            if (state is null || !StateStore.IsOwnerAlive(state))
            {
                throw new ReplicaException($"environment '{name}' is not up", ReplicaErrorKind.Failure, "start it with `replica up --detach`");
            }
            var url = state.Endpoints.GetValueOrDefault(ControlServer.Endpoint)
                ?? throw new ReplicaException($"environment '{name}' has no dashboard (it was started by an older replica)", ReplicaErrorKind.MissingPrerequisite);
            Console.Out.WriteLine(url + "/");
            if (parse.GetValue(open))
            {
                var opener = BinaryPath.Find("xdg-open")
                    ?? throw new ReplicaException("xdg-open not found: open the URL above in a browser", ReplicaErrorKind.MissingPrerequisite);
                using var process = Process.Start(new ProcessStartInfo(opener, url + "/") { UseShellExecute = false });
                if (process is not null)
                {
                    await process.WaitForExitAsync(ct);
                }
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
