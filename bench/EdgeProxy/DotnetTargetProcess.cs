using System.Diagnostics;

namespace Replica.Bench.EdgeProxy;

/// <summary>A .NET target in its own process (the bench's bare YARP app), started and killed by the benchmark.</summary>
internal sealed class DotnetTargetProcess : IAsyncDisposable
{
    private readonly Process _process;

    private DotnetTargetProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public int Pid => _process.Id;

    /// <summary>Runs this bench assembly with <paramref name="args"/>; the target prints its URL as its first line.</summary>
    public static async Task<DotnetTargetProcess> StartAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(DotnetTargetProcess).Assembly.Location);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(cancellationToken)
                ?? throw new InvalidOperationException($"{string.Join(' ', args)} exited before printing its URL");
            return new DotnetTargetProcess(process, new Uri(line.Trim()));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
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
