using Replica.Environments.Processes;

namespace Replica.Tests.Support;

/// <summary>What /proc says about processes: alive or not, their command lines, whether SIGINT reaches them.</summary>
public static class ProcessTable
{
    /// <summary>True while the pid exists and is not a zombie (this sandbox's init does not reap orphans).</summary>
    public static bool Alive(int pid) => ProcessIdentity.StateOf(pid) is { } s && s != 'Z' && s != 'X';

    /// <summary>
    /// Fails the test when <paramref name="pid"/> ignores SIGINT: a process started from a script's background job
    /// inherits SIGINT ignored (and passes it on to what it starts), so a test sending Ctrl+C would wait for nothing.
    /// `./replica test` runs the tests with SIGINT at its default however it was started.
    /// </summary>
    public static void AssertSigintReaches(int pid)
    {
        var ignored = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal))["SigIgn:".Length..].Trim();
        if ((Convert.ToUInt64(ignored, 16) & (1UL << (UnixSignal.SIGINT - 1))) != 0)
        {
            throw new Xunit.Sdk.XunitException($"pid {pid} ignores SIGINT, inherited from whatever started the tests (a script's background job?): run them with ./replica test, or in the foreground");
        }
    }

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
