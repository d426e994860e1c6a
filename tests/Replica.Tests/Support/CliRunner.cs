using System.Diagnostics;
using System.Text;

namespace Replica.Tests.Support;

/// <summary>
/// Runs the real `replica` CLI as a child process against an isolated state directory. Disposing it kills any CLI
/// it started that is still running (a test that failed halfway).
/// </summary>
public sealed class CliRunner : IDisposable
{
    private readonly List<Process> _started = [];
    private readonly string _stateDirectory;
    private readonly Dictionary<string, string> _environment = [];

    public CliRunner(string stateDirectory, string? workingDirectory = null)
    {
        _stateDirectory = stateDirectory;
        WorkingDirectory = workingDirectory ?? RepositoryPaths.Root;
    }

    public string WorkingDirectory { get; }

    public CliRunner WithVariable(string key, string value)
    {
        _environment[key] = value;
        return this;
    }

    public async Task<CliResult> RunAsync(string[] args, TimeSpan? timeout = null)
    {
        var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"replica {string.Join(' ', args)} did not finish in time:\n{await stdout}\n{await stderr}");
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts the CLI and returns at once; the caller reads its output and ends it.</summary>
    public Process Start(string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = WorkingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(RepositoryPaths.CliAssembly);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        info.Environment["REPLICA_STATE_DIR"] = _stateDirectory;
        info.Environment["NO_COLOR"] = "1";
        foreach (var (k, v) in _environment)
        {
            info.Environment[k] = v;
        }
        var process = Process.Start(info)!;
        process.StandardInput.Close();
        lock (_started)
        {
            _started.Add(process);
        }
        return process;
    }

    /// <summary>
    /// Starts the CLI and returns once it prints a line starting with <paramref name="readyPrefix"/> (a foreground `up`
    /// prints "Following logs" once every service is healthy); the task gives everything it printed when it ends.
    /// </summary>
    public async Task<(Process Process, Task<string> Output)> StartUntilAsync(string[] args, string readyPrefix, TimeSpan timeout)
    {
        var process = Start(args);
        var seen = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (seen) seen.AppendLine(line);
                if (line.StartsWith(readyPrefix, StringComparison.Ordinal))
                {
                    ready.TrySetResult();
                }
            }
            ready.TrySetResult();
            lock (seen) return seen.ToString();
        });
        await ready.Task.WaitAsync(timeout);
        if (process.HasExited)
        {
            Assert.Fail($"replica {string.Join(' ', args)} exited early with {process.ExitCode}:\n{seen}\n{await process.StandardError.ReadToEndAsync()}");
        }
        return (process, output);
    }

    public void Dispose()
    {
        lock (_started)
        {
            foreach (var process in _started)
            {
                try
                {
                    if (!process.HasExited)
                    {
                        process.Kill(entireProcessTree: true);
                    }
                }
                catch (InvalidOperationException)
                {
                }
                process.Dispose();
            }
            _started.Clear();
        }
    }
}
