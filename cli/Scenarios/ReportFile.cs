using Replica.Environments.Errors;

namespace Replica.Cli.Scenarios;

/// <summary>
/// A report a command writes after a long run (--junit, --markdown, --timeline): checked before anything starts, so
/// a path that cannot be written fails at once, not minutes later; writing it fails with the option named.
/// </summary>
internal sealed record ReportFile(string Option, string Path)
{
    /// <summary>Null when the option was not given; else the file, its directory created and found writable.</summary>
    public static ReportFile? Check(string option, string? path)
    {
        if (path is null)
        {
            return null;
        }
        var file = new ReportFile(option, path);
        file.Try(ReplicaErrorKind.BadInput, () =>
        {
            var full = System.IO.Path.GetFullPath(path);
            if (Directory.Exists(full))
            {
                throw new IOException("it is a directory");
            }
            var directory = System.IO.Path.GetDirectoryName(full)!;
            Directory.CreateDirectory(directory);
            // Writable: the one sure test is to write there.
            var probe = System.IO.Path.Combine(directory, $".replica-write-test-{System.Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        });
        return file;
    }

    /// <summary>Writes the report; an I/O failure becomes an error naming the option and the file.</summary>
    public void Write(Action<string> write) => Try(ReplicaErrorKind.Failure, () => write(Path));

    private void Try(ReplicaErrorKind kind, Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ReplicaException($"{Option}: cannot write {Path}: {ex.Message}", kind);
        }
    }
}
