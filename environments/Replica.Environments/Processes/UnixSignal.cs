using System.Runtime.InteropServices;

namespace Replica.Environments.Processes;

/// <summary>kill(2) for processes and process groups (negative id), with Linux signal numbers.</summary>
public static partial class UnixSignal
{
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/>; false when the target does not exist (ESRCH) or is not ours.</summary>
    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;

    /// <summary>Sends <paramref name="signal"/> to every process of the group led by <paramref name="groupId"/>.</summary>
    public static bool SendToGroup(int groupId, int signal) => groupId > 1 && Kill(-groupId, signal) == 0;

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    public static bool IsRoot => GetEffectiveUserId() == 0;
}
