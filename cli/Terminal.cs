using Spectre.Console;

namespace Replica.Cli;

/// <summary>The console as Replica writes to it: colour and live widgets only on a terminal, plain text otherwise.</summary>
internal static class Terminal
{
    public static bool Interactive { get; } =
        !Console.IsOutputRedirected && string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("NO_COLOR"));

    public static IAnsiConsole Out { get; } = Create();

    private static IAnsiConsole Create()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = Interactive ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        if (!Interactive)
        {
            // Redirected (a CI log, a file): no terminal says how wide; 80 columns would wrap the tables.
            console.Profile.Width = 120;
        }
        return console;
    }
}
