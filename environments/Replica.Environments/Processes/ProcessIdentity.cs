using System.Globalization;
using System.Text.Json.Serialization;

namespace Replica.Environments.Processes;

/// <summary>
/// A process as it can be recognised later: its id and its start time (clock ticks since boot, from
/// /proc/PID/stat), so a recycled pid is never mistaken for it.
/// </summary>
public sealed record ProcessIdentity(int Pid, long StartTicks)
{
    public static ProcessIdentity Current() => Of(System.Environment.ProcessId)
        ?? throw new InvalidOperationException("cannot read /proc/self/stat");

    /// <summary>The process with this id as it is now, or null when there is none.</summary>
    public static ProcessIdentity? Of(int pid)
    {
        var stat = ReadStat(pid);
        return stat is null ? null : new ProcessIdentity(pid, stat.Value.StartTicks);
    }

    /// <summary>True while the same process (same pid and start time) exists and is not a zombie.</summary>
    [JsonIgnore]
    public bool IsAlive => ReadStat(Pid) is { } s && s.StartTicks == StartTicks && s.State != 'Z' && s.State != 'X';

    /// <summary>State letter from /proc (R, S, D, T stopped, Z zombie…), or null when gone.</summary>
    public static char? StateOf(int pid) => ReadStat(pid)?.State;

    /// <summary>Process group id of <paramref name="pid"/>, or null when gone.</summary>
    public static int? GroupOf(int pid) => ReadStat(pid)?.Group;

    /// <summary>
    /// What is left of the process group this process led: every member that started no earlier than it (children
    /// that outlived the leader, such as PostgreSQL backends). Empty when the pid now names another process: the kernel
    /// never hands out a pid still used as a process-group id, so a reused pid means this group is gone, and a group
    /// with that id belongs to the newcomer. One pass over /proc.
    /// </summary>
    public IReadOnlyList<ProcessIdentity> RemainingGroupMembers()
    {
        var members = new List<ProcessIdentity>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || ReadStat(pid) is not { } s)
            {
                continue;
            }
            if (pid == Pid && s.StartTicks != StartTicks)
            {
                return [];
            }
            if (s.Group == Pid && s.StartTicks >= StartTicks)
            {
                members.Add(new ProcessIdentity(pid, s.StartTicks));
            }
        }
        return members;
    }

    /// <summary>
    /// Every process's parent, by pid, from one pass over /proc: what the process-tree readers (a copy's memory, a
    /// benchmark's CPU time, a test's PostgreSQL workers) walk. Processes that end meanwhile are left out.
    /// </summary>
    public static Dictionary<int, int> ParentsByPid()
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && ReadStat(pid) is { } s)
            {
                parents[pid] = s.Parent;
            }
        }
        return parents;
    }

    internal readonly record struct Stat(char State, int Parent, int Group, long StartTicks);

    internal static Stat? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        // The command name (field 2) is in parentheses and may contain spaces: parse after the last ')'.
        var close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }
        var fields = text[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state); field 4 is ppid; field 5 is pgrp; field 22 is starttime.
        return new Stat(fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture),
            long.Parse(fields[19], CultureInfo.InvariantCulture));
    }
}
