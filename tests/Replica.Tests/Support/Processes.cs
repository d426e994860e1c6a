using Replica.Environments.Processes;

namespace Replica.Tests.Support;

public static class Processes
{
    /// <summary>True while the pid exists and is not a zombie (this sandbox's init does not reap orphans).</summary>
    public static bool Alive(int pid) => ProcessIdentity.StateOf(pid) is { } s && s != 'Z' && s != 'X';

    /// <summary>Pids of live processes whose command line contains <paramref name="fragment"/>.</summary>
    public static IReadOnlyList<int> WithCommandLine(string fragment)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || !Alive(pid))
            {
                continue;
            }
            try
            {
                var cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmd.Contains(fragment, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
        }
        return found;
    }
}
