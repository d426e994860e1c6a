using System.Diagnostics;

namespace Replica.Tests.Toxiproxy;

/// <summary>
/// A real third-party client: toxiproxy-node-client 4.1.0 from npm, unmodified, drives create proxy → add latency →
/// list → update → delete → reset (and more) against this server; tests/node-client/client-test.mjs asserts each
/// answer. node_modules is installed with `npm ci` from the committed lock file the first time, then reused.
/// </summary>
public sealed class NodeClientTests : ApiTestBase
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    [Fact]
    public async Task Toxiproxy_node_client_works_unchanged()
    {
        var directory = NodeClientDirectory();
        await EnsureInstalledAsync(directory);

        var (code, output, error) = await RunAsync(directory, "node", ["client-test.mjs", Server.ApiUrl.ToString(), Upstream.Address], TimeSpan.FromSeconds(120));

        Assert.True(code == 0, $"node client test failed ({code}):\n{output}\n{error}");
        Assert.Equal(
            ["getVersion", "createProxy", "addToxic latency", "getAll and getToxic", "toxic.update", "proxy.update", "every toxic type", "toxic.remove", "populate", "reset", "proxy.remove"],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Replace("ok ", "")));
        Assert.Equal(["node_pop"], Server.Proxies.List().Select(p => p.Name));
        Assert.Empty(Server.Proxies.Get("node_pop").Toxics);
    }

    private static string NodeClientDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "node-client");
            if (File.Exists(Path.Combine(candidate, "package-lock.json")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException($"tests/node-client not found above {AppContext.BaseDirectory}");
    }

    private static async Task EnsureInstalledAsync(string directory)
    {
        await InstallGate.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(directory, "node_modules", "toxiproxy-node-client", "package.json")))
            {
                return;
            }
            var (code, output, error) = await RunAsync(directory, "npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5));
            Assert.True(code == 0, $"npm ci failed in {directory} ({code}); node and npm are needed:\n{output}\n{error}");
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string directory, string program, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
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
