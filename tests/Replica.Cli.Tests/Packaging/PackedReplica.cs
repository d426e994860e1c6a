using System.Text.RegularExpressions;
using Replica.Tests.Support;

namespace Replica.Cli.Tests.Packaging;

/// <summary>
/// Replica's packages as `dotnet pack Replica.sln` makes them, in a folder of their own for the packaging tests: from
/// the build the tests run from (<c>--no-build</c>, same configuration), so packing takes seconds and changes nothing
/// the running tests use. The folder is removed when the tests end, also when packing failed.
/// </summary>
public sealed partial class PackedReplica : IAsyncLifetime
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private readonly ScratchDirectory folder = new("replica-packages-");

    /// <summary>A local package source holding the .nupkg files.</summary>
    public string Folder => folder.Path;

    /// <summary>The version every package was packed at (one version for all, from Directory.Build.props).</summary>
    public string Version { get; private set; } = "";

    public async Task InitializeAsync()
    {
        try
        {
            await PackAsync();
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    public Task DisposeAsync()
    {
        folder.Dispose();
        return Task.CompletedTask;
    }

    private async Task PackAsync()
    {
        var pack = await DotnetCommand.RunAsync(RepositoryPaths.Root,
            ["pack", "Replica.sln", "-c", Configuration, "--no-build", "--no-restore", "--disable-build-servers", "-o", Folder],
            TimeSpan.FromMinutes(3));
        Assert.True(pack.ExitCode == 0, $"dotnet pack failed: {pack}");
        var tool = Directory.GetFiles(Folder, "Replica.Cli.*.nupkg").SingleOrDefault();
        Assert.True(tool is not null, $"dotnet pack made no Replica.Cli package: {string.Join(", ", Directory.GetFiles(Folder).Select(Path.GetFileName))}");
        Version = PackageVersion().Match(Path.GetFileName(tool)).Groups[1].Value;
    }

    [GeneratedRegex(@"^Replica\.Cli\.(.+)\.nupkg$")]
    private static partial Regex PackageVersion();
}
