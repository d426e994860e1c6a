using System.Globalization;

namespace Replica.Environments.Docker;

/// <summary>
/// A process as the kernel identifies it over time: its pid plus its start time (clock ticks after boot, field 22
/// of /proc/&lt;pid&gt;/stat). The pair survives pid reuse: a new process with the same pid has a later start time.
/// </summary>
public sealed record OwnerProcess(int Pid, long StartTime)
{
    /// <summary>This process.</summary>
    public static OwnerProcess Current { get; } = Read(Environment.ProcessId)
        ?? throw new PlatformNotSupportedException("cannot read /proc/self/stat; owner labels need Linux /proc");

    /// <summary>The process that has <paramref name="pid"/> now, or null when there is none.</summary>
    public static OwnerProcess? Read(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may itself hold spaces or ')': start after the last ')'.
        var afterName = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // afterName[0] is field 3 (state), so field 22 is at index 19.
        return afterName.Length > 19 && long.TryParse(afterName[19], CultureInfo.InvariantCulture, out var start)
            ? new OwnerProcess(pid, start)
            : null;
    }

    /// <summary>True while the very process this names still runs (same pid and same start time).</summary>
    public bool IsAlive => Read(Pid) is { } now && now.StartTime == StartTime;
}
