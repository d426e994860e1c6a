using System.Diagnostics;
using System.Text;
using Replica.Environments.Processes;

namespace Replica.Tests.Support;

/// <summary>
/// A program a test started (the `replica` CLI by <see cref="CliRunner.Start"/>, dotnet, node, bash, rsvg-convert):
/// its output as it comes, waits that fail with everything it printed so far, signals, and a dispose that kills its
/// whole tree if it still runs (a test that failed halfway). The one place tests start and end a process.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _description;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly List<string> _lines = [];
    private readonly Task _readers;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process, string description)
    {
        _process = process;
        _description = description;
        _readers = Task.WhenAll(
            Task.Run(() => PumpAsync(process.StandardOutput, _stdout, _lines)),
            Task.Run(() => PumpAsync(process.StandardError, _stderr, null)));
        _readers.ContinueWith(_ => Pulse(), TaskScheduler.Default);
    }

    /// <summary>
    /// Starts <paramref name="info"/> with its output read as UTF-8 and its stdin closed; <paramref name="description"/>
    /// (e.g. "replica up") names it in every failure.
    /// </summary>
    public static ChildProcess Start(ProcessStartInfo info, string description)
    {
        info.UseShellExecute = false;
        info.RedirectStandardOutput = info.RedirectStandardError = info.RedirectStandardInput = true;
        info.StandardOutputEncoding = info.StandardErrorEncoding = Encoding.UTF8;
        var process = Process.Start(info)!;
        process.StandardInput.Close();
        return new ChildProcess(process, description);
    }

    /// <summary>Runs <paramref name="info"/> to its end; on a timeout kills its tree and throws with everything it printed.</summary>
    public static async Task<CliResult> RunAsync(ProcessStartInfo info, string description, TimeSpan timeout)
    {
        await using var process = Start(info, description);
        var code = await process.WaitForExitAsync(timeout);
        return new CliResult(code, process.StandardOutput, process.StandardError);
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code; valid once <see cref="WaitForExitAsync"/> returned.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Everything printed on stdout so far.</summary>
    public string StandardOutput { get { lock (_stdout) { return _stdout.ToString(); } } }

    /// <summary>Everything printed on stderr so far.</summary>
    public string StandardError { get { lock (_stderr) { return _stderr.ToString(); } } }

    /// <summary>Waits until stdout contains <paramref name="text"/>; fails with the output so far when it exits or time runs out.</summary>
    public Task WaitForOutputAsync(string text, TimeSpan timeout) =>
        WaitForLineAsync(_ => StandardOutput.Contains(text, StringComparison.Ordinal), timeout, $"\"{text}\" on stdout");

    /// <summary>
    /// Waits for the first stdout line that <paramref name="match"/> accepts and returns it; fails with the output
    /// so far when the process ends its output first or time runs out.
    /// </summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, string what = "a matching line on stdout")
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var checkedLines = 0;
        while (true)
        {
            Task changed;
            bool ended;
            lock (_lines)
            {
                changed = _changed.Task;
                for (; checkedLines < _lines.Count; checkedLines++)
                {
                    if (match(_lines[checkedLines]))
                    {
                        return _lines[checkedLines];
                    }
                }
                ended = _readers.IsCompleted;
            }
            if (ended)
            {
                throw new Xunit.Sdk.XunitException($"{_description} ended its output without {what}{Exit()}:\n{Output()}");
            }
            var left = TimeSpan.FromSeconds((double)(deadline - Stopwatch.GetTimestamp()) / Stopwatch.Frequency);
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"{_description} printed no {what} in {timeout.TotalSeconds:0.#} s:\n{Output()}");
            }
            await Task.WhenAny(changed, Task.Delay(left));
        }
    }

    /// <summary>
    /// Waits for the process to exit and its output to be read, and returns the exit code; on a timeout kills its tree and
    /// throws a <see cref="TimeoutException"/> with everything it printed.
    /// </summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"{_description} did not exit in {timeout.TotalSeconds:0.#} s:\n{Output()}");
        }
        // A service the process started may still hold its stdout (a SIGKILLed `up` leaves them running): read what is
        // there, but do not wait for processes other than this one.
        await Task.WhenAny(_readers, Task.Delay(TimeSpan.FromSeconds(5)));
        return _process.ExitCode;
    }

    /// <summary>Sends <paramref name="signal"/> (e.g. <see cref="UnixSignal.SIGINT"/>) to the process itself.</summary>
    public void Signal(int signal)
    {
        if (!UnixSignal.Send(_process.Id, signal) && !_process.HasExited)
        {
            throw new InvalidOperationException($"could not send signal {signal} to {_description} (pid {_process.Id})");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Kill())
        {
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private bool Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                return true;
            }
        }
        catch (InvalidOperationException)
        {
        }
        return false;
    }

    private string Exit() => _process.HasExited ? $" (exit {_process.ExitCode})" : "";

    private string Output() => $"--- stdout\n{StandardOutput}--- stderr\n{StandardError}";

    /// <summary>Keeps the output exactly as printed; stdout is also split into lines for the waits.</summary>
    private async Task PumpAsync(StreamReader reader, StringBuilder text, List<string>? lines)
    {
        var buffer = new char[4096];
        var partial = new StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (text)
            {
                text.Append(buffer, 0, read);
            }
            if (lines is not null)
            {
                AddLines(lines, partial, buffer.AsSpan(0, read));
            }
            Pulse();
        }
        if (lines is not null && partial.Length > 0)
        {
            lock (_lines)
            {
                lines.Add(partial.ToString());
            }
        }
    }

    private void AddLines(List<string> lines, StringBuilder partial, ReadOnlySpan<char> chunk)
    {
        lock (_lines)
        {
            foreach (var c in chunk)
            {
                if (c == '\n')
                {
                    lines.Add(partial.ToString().TrimEnd('\r'));
                    partial.Clear();
                }
                else
                {
                    partial.Append(c);
                }
            }
        }
    }

    private void Pulse()
    {
        TaskCompletionSource previous;
        lock (_lines)
        {
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        previous.TrySetResult();
    }
}
