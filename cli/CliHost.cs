using System.CommandLine;

namespace Replica.Cli;

/// <summary>Runs the parsed command; turns known errors into one clear line on stderr and an exit code, never a stack trace.</summary>
internal static class CliHost
{
    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        try
        {
            // Signals are handled by SignalScope in the commands that start things, so teardown is never cut short by
            // System.CommandLine's own Ctrl+C handling (which force-exits after a timeout).
            var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await root.Parse(args).InvokeAsync(config);
        }
        catch (Exception ex) when (ExitCodes.For(ex) is { } known)
        {
            Console.Error.WriteLine($"replica: {known.Message}");
            if (known.Hint is not null)
            {
                Console.Error.WriteLine($"  hint: {known.Hint}");
            }
            return known.ExitCode;
        }
    }
}
