namespace Replica.Testing;

/// <summary>Finds compose.yaml (or a scenario) relative to the test assembly, walking up to the repository.</summary>
public static class ComposeFileLocator
{
    public static string Nearest(string fileName = "compose.yaml")
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, fileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"no {fileName} above {AppContext.BaseDirectory}; override ComposeFile");
    }
}
