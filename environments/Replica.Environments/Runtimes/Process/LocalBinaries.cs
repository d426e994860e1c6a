using System.Text.RegularExpressions;
using Replica.Environments.Errors;
using Replica.Environments.Processes;

namespace Replica.Environments.Runtimes.Process;

/// <summary>Where redis-server and PostgreSQL live on this machine; a missing one is an error that says how to install it.</summary>
public static partial class LocalBinaries
{
    public static string RedisServer() =>
        BinaryPath.Find("redis-server") ?? throw new ReplicaException(
            "redis-server not found on PATH (needed by the process runtime for redis services)",
            kind: ReplicaErrorKind.MissingPrerequisite,
            hint: UnixSignal.IsRoot ? "apt-get update && apt-get install -y redis-server (./replica does this for you)" : "sudo apt-get install -y redis-server");

    /// <summary>The directory holding postgres and initdb: PATH first, then the newest /usr/lib/postgresql/*/bin.</summary>
    public static string PostgresBinDirectory()
    {
        var onPath = BinaryPath.Find("postgres");
        if (onPath is not null && File.Exists(Path.Combine(Path.GetDirectoryName(onPath)!, "initdb")))
        {
            return Path.GetDirectoryName(onPath)!;
        }
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            var newest = Directory.EnumerateDirectories("/usr/lib/postgresql")
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: double.TryParse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0))
                .Where(x => File.Exists(Path.Combine(x.Dir, "postgres")) && File.Exists(Path.Combine(x.Dir, "initdb")))
                .OrderByDescending(x => x.Version)
                .FirstOrDefault();
            if (newest.Dir is not null)
            {
                return newest.Dir;
            }
        }
        throw new ReplicaException(
            "PostgreSQL not found: no postgres and initdb on PATH or under /usr/lib/postgresql/*/bin (needed by the process runtime for postgres services)",
            kind: ReplicaErrorKind.MissingPrerequisite,
            hint: UnixSignal.IsRoot ? "apt-get update && apt-get install -y postgresql" : "sudo apt-get install -y postgresql");
    }

    [GeneratedRegex(@"(\d+)(?:\.\d+)?")]
    private static partial Regex Version();

    /// <summary>Asked once per binary (and again when it is replaced), not at every launch.</summary>
    public static async Task<string> PostgresMajorVersionAsync(string binDirectory, CancellationToken cancellationToken)
    {
        var postgres = Path.Combine(binDirectory, "postgres");
        var key = $"{postgres}@{File.GetLastWriteTimeUtc(postgres).Ticks}";
        if (PostgresVersions.TryGetValue(key, out var cached))
        {
            return cached;
        }
        var text = await ExternalCommand.RunAsync([postgres, "--version"], cancellationToken: cancellationToken);
        var version = Version().Match(text) is { Success: true } m ? m.Groups[1].Value : "unknown";
        PostgresVersions[key] = version;
        return version;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> PostgresVersions = new();

    /// <summary>PostgreSQL refuses to run as root: the account to run it as, or null to run as ourselves.</summary>
    public static string? PostgresRunAsUser()
    {
        if (!UnixSignal.IsRoot)
        {
            return null;
        }
        if (!UserAccount.Exists("postgres"))
        {
            throw new ReplicaException(
                "PostgreSQL refuses to run as root, and there is no 'postgres' account to run it as",
                kind: ReplicaErrorKind.MissingPrerequisite,
                hint: "useradd --system --home /var/lib/postgresql postgres (Debian's postgresql package creates it)");
        }
        return "postgres";
    }
}
