namespace Replica.Environments.Processes;

/// <summary>Finds an executable on PATH (and in a few extra directories), like `command -v`.</summary>
public static class BinaryPath
{
    public static string? Find(string name, IEnumerable<string>? extraDirectories = null)
    {
        if (name.Contains('/'))
        {
            return IsExecutable(name) ? Path.GetFullPath(name) : null;
        }
        var path = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        var dirs = path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(extraDirectories ?? []).Concat(["/usr/sbin", "/sbin"]);
        return dirs.Select(d => Path.Combine(d, name)).FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string file)
    {
        try
        {
            return File.Exists(file) && (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
