using Replica.Environments.Processes;

namespace Replica.Environments.Runtimes.Process;

/// <summary>
/// A data directory made once per machine by initdb (with the user and database the service asks for) and copied for
/// every environment: copying takes tens of milliseconds where initdb takes a second or more.
/// </summary>
public static class PostgresTemplate
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task<string> EnsureAsync(
        string binDirectory, string user, string database, string? runAs, string cacheRoot, Action<string>? progress, CancellationToken cancellationToken)
    {
        var version = await LocalBinaries.PostgresMajorVersionAsync(binDirectory, cancellationToken);
        var key = $"postgres{version}-{Safe(user)}-{Safe(database)}";
        var final = Path.Combine(cacheRoot, key);
        if (File.Exists(Path.Combine(final, "replica-template-ready")))
        {
            return final;
        }
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(Path.Combine(final, "replica-template-ready")))
            {
                return final;
            }
            progress?.Invoke($"creating the PostgreSQL {version} template (once per machine)");
            Directory.CreateDirectory(cacheRoot);
            File.SetUnixFileMode(cacheRoot, (UnixFileMode)0b111_101_101);
            var building = Path.Combine(cacheRoot, $"{key}.building-{Guid.NewGuid():N}");
            try
            {
                Directory.CreateDirectory(building);
                if (runAs is not null)
                {
                    await ExternalCommand.RunAsync(["chown", $"{runAs}:", building], cancellationToken: cancellationToken);
                }
                await ExternalCommand.RunAsync(
                    [Path.Combine(binDirectory, "initdb"), "-D", building, "-U", user, "-A", "trust", "-E", "UTF8", "--locale=C", "-N"],
                    runAs, workingDirectory: "/", cancellationToken: cancellationToken);
                if (database is not "postgres" and not "template0" and not "template1")
                {
                    // Single-user mode needs no socket or port: the database is created before any server runs.
                    await ExternalCommand.RunAsync(
                        [Path.Combine(binDirectory, "postgres"), "--single", "-D", building, "-F", "postgres"],
                        runAs, standardInput: $"CREATE DATABASE \"{database.Replace("\"", "\"\"")}\" OWNER \"{user.Replace("\"", "\"\"")}\";\n",
                        workingDirectory: "/", cancellationToken: cancellationToken);
                }
                await File.WriteAllTextAsync(Path.Combine(building, "replica-template-ready"), DateTimeOffset.UtcNow.ToString("O"), cancellationToken);
                try
                {
                    Directory.Move(building, final);
                }
                catch (IOException) when (Directory.Exists(final))
                {
                    // Another Replica made it meanwhile; theirs is as good as ours.
                }
            }
            finally
            {
                if (Directory.Exists(building))
                {
                    Directory.Delete(building, recursive: true);
                }
            }
            return final;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Copies the template to <paramref name="dataDirectory"/> (which must not exist), keeping owner and mode.</summary>
    public static Task CopyAsync(string template, string dataDirectory, CancellationToken cancellationToken) =>
        ExternalCommand.RunAsync(["cp", "-a", template, dataDirectory], cancellationToken: cancellationToken);

    private static string Safe(string s) => new(s.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
}
