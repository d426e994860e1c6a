using System.CommandLine;

namespace Replica.Cli;

/// <summary>Every top-level command of `replica`, in the order `--help` lists them. One line per command.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return Commands.UpCommand.Create();
        yield return Commands.DownCommand.Create();
        yield return Commands.StatusCommand.Create();
        yield return Commands.LogsCommand.Create();
        foreach (var verb in Commands.ServiceVerbCommand.CreateAll())
        {
            yield return verb;
        }
        yield return Commands.SetCommand.Create();
        yield return Commands.ProbeCommand.Create();
        yield return Commands.DashboardCommand.Create();
        yield return Commands.ToxiproxyCommand.Create();
        yield return Commands.ToxicCommand.Create();
        yield return Commands.ProxyCommand.Create();
        yield return Commands.CaCommand.Create();
        yield return Commands.FaultCommand.Create();
        yield return Commands.ChaosCommand.Create();
        yield return Commands.VerifyCommand.Create();
        yield return Commands.SweepCommand.Create();
        yield return Commands.LintCommand.Create();
        yield return Commands.ReportCommand.Create();
    }
}
