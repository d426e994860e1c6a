using System.Diagnostics;
using System.Text;

namespace Replica.Tests.EdgeProxy.Support;

/// <summary>Runs the real `replica` command (replica.dll, copied next to the tests) as a child process.</summary>
public sealed class ReplicaCli : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ReplicaCli(Process process) => _process = process;

    public string Stdout { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string Stderr { get { lock (_stderr) { return _stderr.ToString(); } } }

    public static ReplicaCli Start(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "replica.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        // Never inherit the developer's own proxy settings.
        info.Environment.Remove("REPLICA_PROXY_ADMIN_URL");
        info.Environment.Remove("REPLICA_PROXY_ADMIN_TOKEN");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[name] = value;
        }
        var process = new Process { StartInfo = info };
        var cli = new ReplicaCli(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lock (cli._stdout)
            {
                cli._stdout.AppendLine(e.Data);
            }
            cli._firstLine.TrySetResult(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (cli._stderr)
                {
                    cli._stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs a command to its end and returns its exit code.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        await using var cli = Start(args);
        var exitCode = await cli.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exitCode, cli.Stdout, cli.Stderr);
    }

    public async Task<string> FirstLineAsync(TimeSpan timeout)
    {
        var done = await Task.WhenAny(_firstLine.Task, _process.WaitForExitAsync(), Task.Delay(timeout));
        if (done != _firstLine.Task)
        {
            throw new TimeoutException($"replica printed nothing (exited: {_process.HasExited}); stderr: {Stderr}");
        }
        return await _firstLine.Task;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as a service manager or Ctrl+C in a terminal would.</summary>
    public void Terminate()
    {
        if (!_process.HasExited)
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        }
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
}
