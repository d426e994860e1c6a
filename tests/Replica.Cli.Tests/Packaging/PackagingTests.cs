using System.Diagnostics;
using System.Text.RegularExpressions;
using Replica.Environments.Processes;
using Replica.Proxy.Tcp.Client;
using Replica.Tests.Support;

namespace Replica.Cli.Tests.Packaging;

/// <summary>
/// Replica the way .NET users take it: `dotnet pack` makes the `replica` .NET tool and the Replica.Testing package;
/// the tool installs from that folder and runs, and a new xUnit project referencing Replica.Testing restores, builds
/// and passes. Everything goes to temporary folders, removed at the end whatever happened.
/// </summary>
[Trait("Category", "Packaging")]
public sealed partial class PackagingTests(PackedReplica packed) : IClassFixture<PackedReplica>
{
    [Fact]
    public async Task The_cli_installs_as_a_dotnet_tool_whose_replica_command_answers_and_serves_the_toxiproxy_api()
    {
        using var toolPath = new ScratchDirectory("replica-tool-");
        var install = await DotnetCommand.RunAsync(toolPath.Path,
            ["tool", "install", "Replica.Cli", "--version", packed.Version, "--add-source", packed.Folder, "--tool-path", toolPath.Path],
            TimeSpan.FromMinutes(2));
        Assert.True(install.ExitCode == 0, $"dotnet tool install failed: {install}");
        var replica = Path.Combine(toolPath.Path, "replica");

        var help = await RunToolAsync(replica, toolPath.Path, "--help");
        var version = await RunToolAsync(replica, toolPath.Path, "--version");
        string apiVersion;
        await using (var server = StartTool(replica, toolPath.Path, "toxiproxy", "--port", "0"))
        {
            var listening = await server.WaitForLineAsync(l => l.Contains("API listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            using (var client = new ToxiproxyClient(new Uri(ApiUrl().Match(listening).Groups[1].Value)))
            {
                apiVersion = await client.GetVersionAsync();
            }
            server.Signal(UnixSignal.SIGINT);
            Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        }

        Assert.Contains("toxiproxy", help.StandardOutput);
        Assert.Contains("verify", help.StandardOutput);
        Assert.StartsWith(packed.Version, version.StandardOutput.Trim());
        Assert.Equal("2.12.0", apiVersion);
    }

    [Fact]
    public async Task A_new_xunit_project_referencing_the_packed_Replica_Testing_restores_builds_and_passes()
    {
        using var project = new ConsumerTestProject(packed.Folder, packed.Version);

        var test = await DotnetCommand.RunAsync(project.Root, ["test", "UsesReplica", "--disable-build-servers"], TimeSpan.FromMinutes(5),
            new Dictionary<string, string> { ["NUGET_PACKAGES"] = project.PackageCache });

        Assert.True(test.ExitCode == 0, $"dotnet test of the consumer project failed: {test}");
        Assert.Matches(@"Failed:\s+0, Passed:\s+1, Skipped:\s+0, Total:\s+1", test.StandardOutput);
        Assert.True(Directory.Exists(Path.Combine(project.PackageCache, "replica.testing", packed.Version)), "Replica.Testing was not restored from the packed folder");
    }

    private static async Task<CliResult> RunToolAsync(string replica, string workingDirectory, params string[] arguments)
    {
        var result = await ChildProcess.RunAsync(ToolStart(replica, workingDirectory, arguments), $"replica {string.Join(' ', arguments)}", TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, $"replica {string.Join(' ', arguments)}: {result}");
        return result;
    }

    private static ChildProcess StartTool(string replica, string workingDirectory, params string[] arguments) =>
        ChildProcess.Start(ToolStart(replica, workingDirectory, arguments), $"replica {string.Join(' ', arguments)}");

    /// <summary>The installed command itself (the tool's apphost), with a state directory of its own.</summary>
    private static ProcessStartInfo ToolStart(string replica, string workingDirectory, string[] arguments)
    {
        var info = new ProcessStartInfo(replica, arguments) { WorkingDirectory = workingDirectory };
        info.Environment["REPLICA_STATE_DIR"] = Path.Combine(workingDirectory, "state");
        info.Environment["NO_COLOR"] = "1";
        if (Path.IsPathRooted(RepositoryPaths.DotnetHost))
        {
            info.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(RepositoryPaths.DotnetHost);
        }
        return info;
    }

    [GeneratedRegex(@"(http://\S+/)")]
    private static partial Regex ApiUrl();
}
