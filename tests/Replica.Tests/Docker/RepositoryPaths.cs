namespace Replica.Tests.Docker;

/// <summary>Paths in the repository, found by walking up from the test assembly to Replica.sln.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Images => Path.Combine(Root, "environments", "images");

    public static string StagingAuthProject => Path.Combine(Root, "environments", "staging", "auth", "Replica.Staging.Auth.csproj");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Replica.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Replica.sln above {AppContext.BaseDirectory}");
    }
}
