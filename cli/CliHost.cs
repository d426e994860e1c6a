using System.CommandLine;
using System.CommandLine.Parsing;

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
            // `replica` alone shows what it can do, as docker and kubectl do.
            var parse = root.Parse(args.Length == 0 ? ["--help"] : args);
            if (parse.Errors.Count > 0)
            {
                return ParseFailed(parse);
            }
            return await parse.InvokeAsync(config);
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

    /// <summary>
    /// A command line that does not parse is bad input like any other (exit 2, nothing run): each problem on one line,
    /// and where the command's help is, instead of the whole help text.
    /// </summary>
    private static int ParseFailed(ParseResult parse)
    {
        foreach (var error in parse.Errors)
        {
            Console.Error.WriteLine($"replica: {error.Message}");
        }
        var path = new List<string>();
        for (var result = parse.CommandResult; result.Parent is CommandResult parent; result = parent)
        {
            path.Insert(0, result.Command.Name);
        }
        Console.Error.WriteLine($"  hint: `{string.Join(' ', ["replica", .. path])} --help` lists what it takes");
        return ExitCodes.BadInput;
    }
}
