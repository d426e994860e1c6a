using System.CommandLine;

namespace Replica.Cli;

/// <summary>Every top-level command of `replica`, in the order `--help` lists them. One line per command.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return Commands.ProxyCommand.Create();
        yield return Commands.FaultCommand.Create();
    }
}
