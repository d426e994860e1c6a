using System.Diagnostics;
using Replica.Environments.Hosting;
using Replica.Environments.Runtimes.Process;

namespace Replica.Tests.Support;

/// <summary>
/// Runs the real `replica` CLI as a child process, as `./replica` runs it (<see cref="RepositoryPaths.CliCommand"/>):
/// the one way the tests start it. Every run gets an isolated state directory (the given one, or an empty one of its
/// own), so a command never finds the developer's environments, and none of the developer's proxy settings (REPLICA_PROXY_ADMIN_URL, REPLICA_PROXY_ADMIN_TOKEN, REPLICA_TOXIPROXY_URL):
/// a test that needs one sets it with <see cref="WithVariable"/>. Disposing it kills any CLI it started that still
/// runs (a test that failed halfway) and removes the state directory it made.
/// </summary>
public sealed class CliRunner : IDisposable
{
    private static readonly string[] ClearedVariables = ["REPLICA_PROXY_ADMIN_URL", "REPLICA_PROXY_ADMIN_TOKEN", "REPLICA_TOXIPROXY_URL"];

    private readonly List<ChildProcess> _started = [];
    private readonly ScratchDirectory? _ownState;
    private readonly string _stateDirectory;
    private readonly Dictionary<string, string> _environment = [];

    /// <summary>
    /// A runner against <paramref name="stateDirectory"/>; without one, against an empty state directory of its own,
    /// for commands that start no environment (the runner does not reap what one would record).
    /// </summary>
    public CliRunner(string? stateDirectory = null, string? workingDirectory = null)
    {
        if (stateDirectory is null)
        {
            _ownState = new ScratchDirectory("replica-cli-state-");
        }
        _stateDirectory = stateDirectory ?? _ownState!.Path;
        WorkingDirectory = workingDirectory ?? RepositoryPaths.Root;
    }

    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(120);

    public string WorkingDirectory { get; }

    public CliRunner WithVariable(string key, string value)
    {
        _environment[key] = value;
        return this;
    }

    /// <summary>Runs the CLI to its end (two minutes unless told); on a timeout kills it and throws with its output.</summary>
    public async Task<CliResult> RunAsync(string[] args, TimeSpan? timeout = null)
    {
        await using var process = Start(args);
        var code = await process.WaitForExitAsync(timeout ?? DefaultTimeout);
        return new CliResult(code, process.StandardOutput, process.StandardError);
    }

    /// <summary>Starts the CLI and returns at once; the caller waits on its output and ends it (or disposes it).</summary>
    public ChildProcess Start(string[] args)
    {
        // A test's own REPLICA_DOTNET_ASSEMBLIES_ONLY chooses the program too; one the CLI must refuse runs the default.
        var assembliesOnly = _environment.TryGetValue(DotnetProjectOutput.AssembliesOnlyVariable, out var only) && IsTrue(DotnetProjectOutput.AssembliesOnlyVariable, only);
        var command = RepositoryPaths.CliCommand(assembliesOnly);
        var info = new ProcessStartInfo(command[0], [.. command.Skip(1), .. args]) { WorkingDirectory = WorkingDirectory };
        foreach (var name in ClearedVariables)
        {
            info.Environment.Remove(name);
        }
        info.Environment["REPLICA_STATE_DIR"] = _stateDirectory;
        info.Environment["NO_COLOR"] = "1";
        foreach (var (k, v) in _environment)
        {
            info.Environment[k] = v;
        }
        var cli = ChildProcess.Start(info, "replica " + string.Join(' ', args));
        lock (_started)
        {
            _started.Add(cli);
        }
        return cli;
    }

    private static bool IsTrue(string variable, string value)
    {
        try
        {
            return EnvironmentSwitch.Read(variable, value);
        }
        catch (Replica.Environments.Errors.ReplicaException)
        {
            return false;
        }
    }

    /// <summary>
    /// Starts the CLI and returns once it prints a line starting with <paramref name="readyPrefix"/> (a foreground `up`
    /// prints "Following logs" once every service is healthy); fails with its output if it exits first.
    /// </summary>
    public async Task<ChildProcess> StartUntilAsync(string[] args, string readyPrefix, TimeSpan timeout)
    {
        var process = Start(args);
        await process.WaitForLineAsync(line => line.StartsWith(readyPrefix, StringComparison.Ordinal), timeout, $"line starting with \"{readyPrefix}\"");
        return process;
    }

    public void Dispose()
    {
        lock (_started)
        {
            foreach (var process in _started)
            {
                process.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            _started.Clear();
        }
        _ownState?.Dispose();
    }
}
