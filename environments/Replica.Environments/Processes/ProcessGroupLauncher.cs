using System.Diagnostics;
using Replica.Environments.Errors;

namespace Replica.Environments.Processes;

/// <summary>
/// Starts a program as the leader of a new session and process group (setsid), with stdout and stderr appended to a
/// log file by the kernel rather than through this process, so the service keeps running and logging if the
/// launching process dies, and one signal to the group reaches the service and every child it forks. The pid
/// returned is the service's own: setsid, sh and setpriv all exec in place.
/// </summary>
public static class ProcessGroupLauncher
{
    public static Process Start(
        IReadOnlyList<string> command,
        IReadOnlyDictionary<string, string> environment,
        string workingDirectory,
        string logFile,
        string? runAsUser = null)
    {
        var setsid = BinaryPath.Find("setsid") ?? throw new ReplicaException(
            "setsid not found on PATH (util-linux)", kind: ReplicaErrorKind.MissingPrerequisite, hint: "apt-get install -y util-linux");
        var info = new ProcessStartInfo(setsid)
        {
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"exec \"$0\" \"$@\" >> {ShellQuote(logFile)} 2>&1 < /dev/null");
        if (runAsUser is not null)
        {
            var setpriv = BinaryPath.Find("setpriv") ?? throw new ReplicaException(
                "setpriv not found on PATH (util-linux), needed to run a service as a non-root user", kind: ReplicaErrorKind.MissingPrerequisite,
                hint: "apt-get install -y util-linux");
            info.ArgumentList.Add(setpriv);
            info.ArgumentList.Add($"--reuid={runAsUser}");
            info.ArgumentList.Add($"--regid={runAsUser}");
            info.ArgumentList.Add("--init-groups");
            info.ArgumentList.Add("--");
        }
        foreach (var arg in command)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        return Process.Start(info) ?? throw new ReplicaException($"could not start {command[0]}");
    }

    public static string ShellQuote(string text) => "'" + text.Replace("'", "'\\''") + "'";
}
