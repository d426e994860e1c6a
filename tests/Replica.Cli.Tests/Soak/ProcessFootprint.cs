using Replica.Tests.Support;

namespace Replica.Cli.Tests.Soak;

/// <summary>What one process holds, read from /proc: resident memory, open file descriptors and how many are sockets.</summary>
public sealed record ProcessFootprint(long RssKiB, int FileDescriptors, int Sockets)
{
    public static ProcessFootprint Of(int pid)
    {
        var rss = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var fds = 0;
        var sockets = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            fds++;
            try
            {
                if (new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true)
                {
                    sockets++;
                }
            }
            catch (IOException)
            {
                // Closed while listed.
            }
        }
        return new ProcessFootprint(long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture), fds, sockets);
    }

    public override string ToString() => $"RSS {RssKiB / 1024.0:0.0} MiB, {FileDescriptors} fds ({Sockets} sockets)";
}
