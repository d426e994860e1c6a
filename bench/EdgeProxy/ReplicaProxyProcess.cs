using System.Text.Json;

namespace Replica.Bench.EdgeProxy;

/// <summary>`replica proxy` (the real CLI, built with the solution) in its own process, as users run it.</summary>
internal sealed class ReplicaProxyProcess : IAsyncDisposable
{
    private readonly DotnetTargetProcess _process;

    private ReplicaProxyProcess(DotnetTargetProcess process, Uri url, Uri adminUrl)
    {
        _process = process;
        Url = url;
        AdminUrl = adminUrl;
    }

    public Uri Url { get; }

    public Uri AdminUrl { get; }

    public int Pid => _process.Pid;

    /// <summary>Starts the proxy with --json; its first line names its URLs.</summary>
    public static async Task<ReplicaProxyProcess> StartAsync(Uri upstream, CancellationToken cancellationToken, params string[] extra)
    {
        var process = await DotnetTargetProcess.StartAsync(
            ["proxy", "--listen", "127.0.0.1:0", "--upstream", upstream.ToString(), "--seed", "1", "--json", .. extra], cancellationToken, FindReplicaDll());
        try
        {
            var json = JsonDocument.Parse(process.FirstLine).RootElement;
            return new ReplicaProxyProcess(process, new Uri(json.GetProperty("url").GetString()!), new Uri(json.GetProperty("adminUrl").GetString()!));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public long ResidentBytes() => _process.ResidentBytes();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

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
