using System.Diagnostics;
using Replica.Environments.Hosting;
using Spectre.Console;

namespace Replica.Cli.Environments;

/// <summary>Prints environment events as they happen, one line each, with the time since the start.</summary>
internal sealed class ProgressPrinter
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TextWriter _out;
    private readonly bool _color;

    public ProgressPrinter(TextWriter output, bool color)
    {
        _out = output;
        _color = color;
    }

    public void Print(EnvironmentEvent e)
    {
        var (mark, style) = e.Kind switch
        {
            EnvironmentEventKind.Healthy => ("✔", "green"),
            EnvironmentEventKind.Unhealthy or EnvironmentEventKind.Exited => ("✘", "red"),
            EnvironmentEventKind.Stopped or EnvironmentEventKind.Killed => ("■", "grey"),
            EnvironmentEventKind.Progress => ("…", "grey"),
            _ => ("•", "blue"),
        };
        var time = $"{_clock.Elapsed.TotalSeconds,5:0.00}s";
        var who = (e.Service ?? "replica").PadRight(10);
        lock (_out)
        {
            if (_color)
            {
                Terminal.Out.MarkupLine($"[grey]{time}[/] [{style}]{mark}[/] [bold]{Markup.Escape(who)}[/] {Markup.Escape(e.Message)}");
            }
            else
            {
                _out.WriteLine($"{time} {mark} {who} {e.Message}");
                _out.Flush();
            }
        }
    }
}
