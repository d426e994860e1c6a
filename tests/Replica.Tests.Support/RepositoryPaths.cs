using Replica.Environments.Hosting;
using Replica.Environments.Runtimes.Process;

namespace Replica.Tests.Support;

/// <summary>Paths in the repository the tests run from.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string ComposeFile => Path.Combine(Root, "compose.yaml");

    public static string Images => Path.Combine(Root, "environments", "images");

    public static string StagingAuthProject => Path.Combine(Root, "environments", "staging", "auth", "Replica.Staging.Auth.csproj");

    public static string StagingBackendProject => Path.Combine(Root, "environments", "staging", "backend", "Replica.Staging.Backend.csproj");

    /// <summary>
    /// The CLI's entry assembly in the CLI project's own output, the one `./replica` runs: precompiled there with
    /// everything beside it (Directory.Build.targets), where the copy in a test project's output stands among plain ones.
    /// </summary>
    public static string CliAssembly { get; } = Path.GetFullPath(Path.Combine(
        AppContext.BaseDirectory, "..", "..", "Replica.Cli", new DirectoryInfo(AppContext.BaseDirectory).Name, "replica.dll"));

    public static string CliProject => Path.Combine(Root, "cli", "Replica.Cli.csproj");

    /// <summary>
    /// How `./replica` runs the CLI, and so how the tests do: its native executable (Native AOT, Directory.Build.targets)
    /// while it is at least as new as <see cref="CliAssembly"/>, else `dotnet replica.dll`; always the latter with
    /// <paramref name="assembliesOnly"/> or REPLICA_DOTNET_ASSEMBLIES_ONLY set.
    /// </summary>
    public static IReadOnlyList<string> CliCommand(bool assembliesOnly = false)
    {
        var entry = DotnetProjectOutput.Find(CliProject, new DirectoryInfo(AppContext.BaseDirectory).Name,
            assembliesOnly || EnvironmentSwitch.Read(DotnetProjectOutput.AssembliesOnlyVariable)) ?? CliAssembly;
        return DotnetProjectOutput.IsAssembly(entry) ? [DotnetHost, entry] : [entry];
    }

    /// <summary>The dotnet host running the tests (DOTNET_HOST_PATH, set by `dotnet test`), else dotnet on PATH.</summary>
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Replica.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Replica.sln above {AppContext.BaseDirectory}");
    }
}
