using System.Text.Json;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>
/// `replica lint` and `-f` as a user outside the project runs them: the real CLI, in a scratch folder that has no
/// compose.yaml above it. Nothing is started by any of these commands.
/// </summary>
public sealed class LintCliTests : IDisposable
{
    private readonly ScratchDirectory _outside = new("replica-lint-");
    private readonly CliRunner _cli;

    public LintCliTests() => _cli = new CliRunner(workingDirectory: _outside.Path);

    public void Dispose()
    {
        _cli.Dispose();
        _outside.Dispose();
    }

    [Theory]
    [InlineData("r1-database-manager-not-initialized")]
    [InlineData("r2-websocket-1011-redis-late")]
    [InlineData("r3-agent-events-never-arrive")]
    public async Task Every_shipped_scenario_is_valid_in_one_line(string name)
    {
        using var inRepo = new CliRunner();

        var result = await inRepo.RunAsync(["lint", name]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var line = Assert.Single(result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"valid: scenario {name}, ", line);
        Assert.Contains("; compose compose.yaml (", line);
    }

    [Fact]
    public async Task A_scenario_outside_a_project_is_checked_against_the_compose_file_given_with_f()
    {
        var scenario = CopyScenario("r2-websocket-1011-redis-late");

        var withoutF = await _cli.RunAsync(["lint", scenario]);
        var withF = await _cli.RunAsync(["lint", scenario, "-f", RepositoryPaths.ComposeFile, "--json"]);

        Assert.Equal(2, withoutF.ExitCode);
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(Path.GetFileName(scenario))}:\d+:\d+: compose: no compose.yaml above the scenario or the current directory; pass -f", withoutF.StandardError);
        Assert.True(withF.ExitCode == 0, withF.ToString());
        using var json = JsonDocument.Parse(withF.StandardOutput);
        Assert.True(json.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(RepositoryPaths.ComposeFile, json.RootElement.GetProperty("compose").GetString());
        Assert.Equal(["baseline", "seed-fix", "fixed"], json.RootElement.GetProperty("variants").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Errors_are_exit_2_with_file_line_and_column_in_text_and_json()
    {
        var scenario = CopyScenario("r2-websocket-1011-redis-late", text => text.Replace("  - restart: backend", "  - restart: bakend\n    colour: red"));

        var text = await _cli.RunAsync(["lint", scenario, "-f", RepositoryPaths.ComposeFile]);
        var json = await _cli.RunAsync(["lint", scenario, "-f", RepositoryPaths.ComposeFile, "--json"]);

        Assert.Equal(2, text.ExitCode);
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(Path.GetFileName(scenario))}:\d+:\d+: timeline\[\d\]: unknown key 'colour'", text.StandardError);
        Assert.Contains("unknown service 'bakend'", text.StandardError);
        Assert.Equal(2, json.ExitCode);
        using var report = JsonDocument.Parse(json.StandardOutput);
        Assert.False(report.RootElement.GetProperty("valid").GetBoolean());
        var errors = report.RootElement.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e =>
        {
            Assert.Equal(Path.GetFileName(scenario), e.GetProperty("file").GetString());
            Assert.True(e.GetProperty("line").GetInt32() > 1);
            Assert.True(e.GetProperty("column").GetInt32() >= 1);
        });
    }

    [Fact]
    public async Task A_missing_compose_file_given_with_f_is_exit_2()
    {
        var scenario = CopyScenario("r2-websocket-1011-redis-late");

        var result = await _cli.RunAsync(["lint", scenario, "-f", "nowhere/compose.yaml"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("compose file not found: nowhere/compose.yaml (-f)", result.StandardError);
    }

    [Fact]
    public async Task The_old_edge_key_is_valid_and_lint_names_its_line_and_the_new_key()
    {
        var scenario = CopyScenario("r2-websocket-1011-redis-late", text => text.Replace("dependency: backend_redis", "edge: backend_redis"));
        var line = File.ReadAllLines(scenario).ToList().FindIndex(l => l.Contains("edge: backend_redis")) + 1;

        var text = await _cli.RunAsync(["lint", scenario, "-f", RepositoryPaths.ComposeFile]);
        var json = await _cli.RunAsync(["lint", scenario, "-f", RepositoryPaths.ComposeFile, "--json"]);

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains($":{line}:", text.StandardOutput);
        Assert.Contains("warning: timeline[0].toxic.edge is renamed timeline[0].toxic.dependency", text.StandardOutput);
        Assert.Contains("valid: scenario r2-websocket-1011-redis-late", text.StandardOutput);
        Assert.Equal(0, json.ExitCode);
        var warning = Assert.Single(JsonDocument.Parse(json.StandardOutput).RootElement.GetProperty("warnings").EnumerateArray());
        Assert.Equal(line, warning.GetProperty("line").GetInt32());
    }

    [Theory]
    [InlineData("verify")]
    [InlineData("chaos run")]
    public async Task Verify_and_chaos_run_read_the_compose_file_given_with_f(string command)
    {
        // A dependency the repository's compose.yaml does not have: the error names that file's dependencies, so -f was read, and
        // nothing is started (exit 2 comes before any service).
        var scenario = CopyScenario("r2-websocket-1011-redis-late", text => text.Replace("dependency: backend_redis", "dependency: backend_nowhere"));

        var withoutF = await _cli.RunAsync([.. command.Split(' '), scenario]);
        var withF = await _cli.RunAsync([.. command.Split(' '), scenario, "-f", RepositoryPaths.ComposeFile]);

        Assert.Equal(2, withoutF.ExitCode);
        Assert.Contains("no compose.yaml above the scenario or the current directory", withoutF.StandardError);
        Assert.Equal(2, withF.ExitCode);
        Assert.Contains("unknown dependency 'backend_nowhere'", withF.StandardError);
        Assert.Contains("backend_redis", withF.StandardError);
    }

    private string CopyScenario(string name, Func<string, string>? edit = null)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "chaos", "scenarios", name + ".yaml"));
        return _outside.Write(name + ".yaml", edit?.Invoke(text) ?? text);
    }
}
