using System.Globalization;

namespace Replica.Environments.Processes;

/// <summary>Which process listens on a TCP port, read from /proc/net/tcp{,6} and /proc/*/fd, for error messages.</summary>
public static class PortOwner
{
    public static string? Describe(int port)
    {
        var inodes = new HashSet<string>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                // local_address is HEXIP:HEXPORT, st 0A is LISTEN, inode is field 10.
                if (f.Length > 9 && f[3] == "0A" && int.Parse(f[1][(f[1].IndexOf(':') + 1)..], NumberStyles.HexNumber) == port)
                {
                    inodes.Add(f[9]);
                }
            }
        }
        if (inodes.Count == 0)
        {
            return null;
        }
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")))
                {
                    var target = new FileInfo(fd).LinkTarget;
                    if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && inodes.Contains(target[8..^1]))
                    {
                        var name = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                        return $"{name} (pid {pid})";
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A process that exited or is not ours: keep looking.
            }
        }
        return "another process";
    }
}
