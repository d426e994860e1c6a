using Replica.Environments.Hosting;

namespace Replica.Tests.Support;

/// <summary>
/// Waiting on what a service logged (the runtime's capture of its stdout and stderr). A wait that gives up — time ran
/// out, or the service exited first — shows the log's last lines as they were at that moment.
/// </summary>
public static class ServiceLog
{
    private const int ShownLines = 25;

    /// <summary>Waits for a line of the service's log that <paramref name="match"/> accepts, among the last <paramref name="window"/>, and returns it.</summary>
    public static async Task<string> WaitForLineAsync(RunningService service, Func<string, bool> match, TimeSpan timeout, string what, int window = 1000)
    {
        string? found = null;
        var exited = false;
        await Eventually.WaitAsync(() =>
        {
            // Exited is read before the log, so a line written just before the exit is still found.
            exited = service.Instance?.Exited.IsCompleted == true;
            found = service.TailLog(window).FirstOrDefault(match);
            return found is not null || exited;
        }, timeout, () => $"{service.Name} to log {what}{LastLines(service)}");
        if (found is null)
        {
            throw new Xunit.Sdk.XunitException(
                $"{service.Name} exited with code {service.Instance!.Exited.Result} before it logged {what}{LastLines(service)}");
        }
        return found;
    }

    /// <summary>Waits for a line containing <paramref name="text"/> and returns it.</summary>
    public static Task<string> WaitForTextAsync(RunningService service, string text, TimeSpan timeout, int window = 1000) =>
        WaitForLineAsync(service, line => line.Contains(text, StringComparison.Ordinal), timeout, $"'{text}'", window);

    /// <summary>The log's last lines now, for a failure message.</summary>
    public static string LastLines(RunningService service)
    {
        var lines = service.TailLog(ShownLines);
        var file = service.Instance?.LogFile ?? "(not started)";
        return $"; last {ShownLines} lines of {file}:{Environment.NewLine}" +
               (lines.Count == 0 ? "    (empty)" : string.Join(Environment.NewLine, lines.Select(l => "    " + l)));
    }
}
