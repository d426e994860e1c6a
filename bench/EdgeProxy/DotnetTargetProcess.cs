using System.Diagnostics;
using Replica.Environments.Processes;

namespace Replica.Bench.EdgeProxy;

/// <summary>
/// A .NET target in its own process (the bench's bare YARP app, `replica proxy`), started and killed by the benchmark.
/// It announces itself on its first line of output (a URL, or JSON with its URLs).
/// </summary>
internal sealed class DotnetTargetProcess : IAsyncDisposable
{
    private readonly Process _process;

    private DotnetTargetProcess(Process process, string firstLine)
    {
        _process = process;
        FirstLine = firstLine;
    }

    public string FirstLine { get; }

    /// <summary>The first line read as a URL (the bare YARP app prints its own).</summary>
    public Uri Url => new(FirstLine.Trim());

    public int Pid => _process.Id;

    /// <summary>
    /// Runs <paramref name="assembly"/> (this bench assembly unless told) with <paramref name="args"/>, and
    /// <paramref name="environment"/> added to this process's variables, and waits for its first line.
    /// </summary>
    public static async Task<DotnetTargetProcess> StartAsync(IReadOnlyList<string> args, CancellationToken cancellationToken, string? assembly = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(assembly ?? typeof(DotnetTargetProcess).Assembly.Location);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(cancellationToken)
                ?? throw new InvalidOperationException($"{string.Join(' ', args)} exited before printing its first line");
            return new DotnetTargetProcess(process, line);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Resident memory of the process (VmRSS, as .NET reads it from /proc).</summary>
    public long ResidentBytes()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    /// <summary>
    /// SIGTERM first, so the target shuts down as a .NET host does and takes its runtime's pipes and diagnostic socket
    /// in the temp directory with it (a SIGKILLed .NET process leaves them behind); SIGKILL only if it is still there
    /// after 10 s.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            UnixSignal.Send(_process.Id, UnixSignal.SIGTERM);
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }
}
