using System.Diagnostics;

namespace Replica.Tests.Support;

/// <summary>
/// Runs the third-party Node tools in tests/node (toxiproxy-node-client, ajv, test-results-parser), unmodified from
/// npm: `npm ci` from the committed lock file the first time on a machine, reused after. Test assemblies run in
/// separate processes at once, so the install is guarded by a file lock as well as a semaphore: `npm ci` empties
/// node_modules first, and a second install running beside a tool would pull its modules from under it.
/// </summary>
public static class NodeTools
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    public static string Directory => Path.Combine(RepositoryPaths.Root, "tests", "node");

    public static async Task<CliResult> RunAsync(string script, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        await EnsureInstalledAsync();
        return await RunProcessAsync("node", [script, .. arguments], timeout ?? TimeSpan.FromSeconds(120));
    }

    private static async Task EnsureInstalledAsync()
    {
        await InstallGate.WaitAsync();
        try
        {
            using var crossProcess = await AcquireFileLockAsync(Path.Combine(Directory, ".npm-ci.lock"), TimeSpan.FromMinutes(6));
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

    private static async Task<FileStream> AcquireFileLockAsync(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private static Task<CliResult> RunProcessAsync(string program, string[] arguments, TimeSpan timeout) =>
        ChildProcess.RunAsync(new ProcessStartInfo(program, arguments) { WorkingDirectory = Directory }, $"{program} {string.Join(' ', arguments)}", timeout);
}
