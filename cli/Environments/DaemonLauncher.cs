using System.Diagnostics;
using Replica.Environments.Errors;
using Replica.Environments.Processes;

namespace Replica.Cli.Environments;

/// <summary>
/// `up --detach`: runs this same program as `up --daemon` in a session of its own, relays its progress lines, and
/// returns once it reports the environment up — or fails with what it printed when it exits first. Cancelled (Ctrl+C),
/// it stops the daemon and waits for it, so nothing comes up after the command returned.
/// </summary>
internal static class DaemonLauncher
{
    public const string ReadyMarker = "@@replica-environment-up@@";

    public static async Task<int> LaunchAsync(IReadOnlyList<string> daemonArguments, Action<string> relay, Action<string> relayError, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(BinaryPath.Find("setsid") ?? throw new ReplicaException("setsid not found on PATH", kind: ReplicaErrorKind.MissingPrerequisite))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in SelfCommand().Concat(daemonArguments))
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        using var process = Process.Start(info) ?? throw new ReplicaException("could not start the environment daemon");
        process.StandardInput.Close();
        var stderr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(cancellationToken) is { } line)
            {
                relayError(line);
            }
        }, cancellationToken);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line == ReadyMarker)
                {
                    return 0;
                }
                relay(line);
            }
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The daemon runs in a session of its own, so Ctrl+C never reaches it: stop it, and wait until it has torn
            // down whatever it had started.
            relayError("replica: stopping the environment daemon…");
            UnixSignal.Send(process.Id, UnixSignal.SIGTERM);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }
        await stderr;
        return process.ExitCode == 0 ? 1 : process.ExitCode;
    }

    /// <summary>How to run this program again: the native executable or apphost, or `dotnet replica.dll`.</summary>
    public static IReadOnlyList<string> SelfCommand()
    {
        var host = System.Environment.ProcessPath ?? throw new ReplicaException("cannot tell which program is running");
        return Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? [host, Path.Combine(AppContext.BaseDirectory, "replica.dll")]
            : [host];
    }
}
