using System.CommandLine;
using Replica.Cli.Environments;

namespace Replica.Cli.Commands;

/// <summary>`replica status [--json]`: each service's state, health (checked now), endpoint and pid.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON (for scripts and CI)" };
        var command = new Command("status", "Show each service's state, health, endpoint and pid, and the fault proxies") { json };
        command.SetAction(async (parse, ct) =>
        {
            var options = EnvironmentOptions.From(parse);
            var name = options.ResolveName();
            var state = options.Store.Read(name);
            var report = state is null ? EnvironmentStatusReport.NotUp(name) : await EnvironmentStatusReport.BuildAsync(state, ct);
            if (parse.GetValue(json))
            {
                StatusRenderer.WriteJson(report);
            }
            else
            {
                StatusRenderer.WriteTable(report);
            }
            return report.Up ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
