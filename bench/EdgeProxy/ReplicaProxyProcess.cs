using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Replica.Bench.EdgeProxy;

/// <summary>`replica proxy` (the real CLI, built with the solution) in its own process, as users run it.</summary>
internal sealed class ReplicaProxyProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ReplicaProxyProcess(Process process, Uri url, Uri adminUrl)
    {
        _process = process;
        Url = url;
        AdminUrl = adminUrl;
    }

    public Uri Url { get; }

    public Uri AdminUrl { get; }

    public int Pid => _process.Id;

    public static async Task<ReplicaProxyProcess> StartAsync(Uri upstream, CancellationToken cancellationToken, params string[] extra)
    {
        var replica = FindReplicaDll();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { replica, "proxy", "--listen", "127.0.0.1:0", "--upstream", upstream.ToString(), "--seed", "1", "--json" }.Concat(extra))
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(cancellationToken)
                ?? throw new InvalidOperationException("replica proxy exited before printing its URLs");
            var json = JsonDocument.Parse(line).RootElement;
            return new ReplicaProxyProcess(process, new Uri(json.GetProperty("url").GetString()!), new Uri(json.GetProperty("adminUrl").GetString()!));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Resident memory of the proxy process, from /proc.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException("no VmRSS in /proc status");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static string FindReplicaDll()
    {
        // bench output: <repo>/artifacts/bin/Replica.Bench/<config>/ ; the CLI is built beside it.
        var config = new DirectoryInfo(AppContext.BaseDirectory).Name;
        var candidate = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "Replica.Cli", config, "replica.dll"));
        return File.Exists(candidate)
            ? candidate
            : throw new FileNotFoundException($"{candidate} not found: build the solution first (dotnet build Replica.sln -c Release)");
    }
}
