using System.Diagnostics;

namespace Replica.Tests.Support;

/// <summary>
/// Runs the third-party Node tools in tests/node (toxiproxy-node-client, ajv, test-results-parser), unmodified from
/// npm: `npm ci` from the committed lock file the first time on a machine, reused after.
/// </summary>
public static class NodeTools
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    public static string Directory => Path.Combine(RepositoryPaths.Root, "tests", "node");

    public static async Task<(int Code, string Output, string Error)> RunAsync(string script, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        await EnsureInstalledAsync();
        return await RunProcessAsync("node", [script, .. arguments], timeout ?? TimeSpan.FromSeconds(120));
    }

    private static async Task EnsureInstalledAsync()
    {
        await InstallGate.WaitAsync();
        try
        {
            var marker = Path.Combine(Directory, "node_modules", ".package-lock.json");
            if (File.Exists(marker) && File.GetLastWriteTimeUtc(marker) >= File.GetLastWriteTimeUtc(Path.Combine(Directory, "package-lock.json")))
            {
                return;
            }
            var (code, output, error) = await RunProcessAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5));
            Assert.True(code == 0, $"npm ci failed in {Directory} ({code}); node and npm are needed:\n{output}\n{error}");
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static async Task<(int Code, string Output, string Error)> RunProcessAsync(string program, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within {timeout}; output so far: {await output}");
        }
        return (process.ExitCode, await output, await error);
    }
}
