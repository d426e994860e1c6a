using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Replica.Bench.EdgeProxy;

/// <summary>Runs wrk (Debian package) and reads requests/s and latency percentiles from its --latency report.</summary>
internal static partial class Wrk
{
    public static async Task<WrkResult> RunAsync(Uri url, int connections, int threads, TimeSpan duration, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-t", $"{threads}", "-c", $"{connections}", "-d", $"{(int)duration.TotalSeconds}s", "--latency", url.ToString() })
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("wrk not found: apt-get install -y wrk");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var errors = NonSuccess().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        errors += SocketErrors().Matches(output).Sum(x => long.Parse(x.Groups[1].Value, CultureInfo.InvariantCulture));
        var requests = long.Parse(TotalRequests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        return new WrkResult(rps, Percentile(output, "50%"), Percentile(output, "99%"), errors, requests);
    }

    private static double Percentile(string output, string label)
    {
        var match = Regex.Match(output, $@"^\s*{Regex.Escape(label)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex TotalRequests();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"(?:connect|read|write|timeout) (\d+)")]
    private static partial Regex SocketErrors();
}
