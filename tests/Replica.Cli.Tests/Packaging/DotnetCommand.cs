using System.Diagnostics;
using Replica.Tests.Support;

namespace Replica.Cli.Tests.Packaging;

/// <summary>
/// Runs the dotnet CLI (pack, tool install, test) as a user would, to its end: never through a build server that
/// would outlive the test (<c>--disable-build-servers</c> is the caller's), and without the variables the outer
/// `dotnet test` passes to its test host (MSBuild's and vstest's), which would point the inner one at the outer run.
/// A command still running at its timeout is killed with everything it started.
/// </summary>
public static class DotnetCommand
{
    private static readonly string[] InheritedPrefixes = ["MSBUILD", "VSTEST", "TESTINGPLATFORM"];

    public static Task<CliResult> RunAsync(string workingDirectory, IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(RepositoryPaths.DotnetHost, arguments) { WorkingDirectory = workingDirectory };
        foreach (var name in info.Environment.Keys.Where(k => InheritedPrefixes.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            info.Environment.Remove(name);
        }
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        return ChildProcess.RunAsync(info, $"dotnet {string.Join(' ', info.ArgumentList)}", timeout);
    }
}
