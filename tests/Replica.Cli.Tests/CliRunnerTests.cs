using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>The one CLI launcher: what a started `replica` sees of the developer's machine.</summary>
public sealed class CliRunnerTests
{
    [Fact]
    public async Task A_cli_gets_an_empty_state_directory_of_its_own_and_none_of_the_proxy_settings()
    {
        string stateDirectory;
        using (var cli = new CliRunner())
        {
            await using var server = cli.Start(["toxiproxy", "--port", "0"]);
            await server.WaitForOutputAsync("API listening on", TimeSpan.FromSeconds(60));
            var environment = File.ReadAllText($"/proc/{server.Id}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries)
                .Select(e => e.Split('=', 2)).ToDictionary(e => e[0], e => e.Length > 1 ? e[1] : "");

            Assert.True(environment.TryGetValue("REPLICA_STATE_DIR", out var state), "REPLICA_STATE_DIR is not set");
            stateDirectory = state!;
            Assert.Empty(Directory.EnumerateFileSystemEntries(stateDirectory));
            Assert.DoesNotContain("REPLICA_PROXY_ADMIN_URL", environment.Keys);
            Assert.DoesNotContain("REPLICA_PROXY_ADMIN_TOKEN", environment.Keys);
            Assert.DoesNotContain("REPLICA_TOXIPROXY_URL", environment.Keys);
        }
        Assert.False(Directory.Exists(stateDirectory), "the runner left its state directory behind");
    }

    [Fact]
    public async Task A_wait_for_output_that_never_comes_fails_with_what_the_cli_printed()
    {
        using var cli = new CliRunner();
        await using var run = cli.Start(["toxic", "ls", "--api", "not a url"]);

        var error = await Assert.ThrowsAsync<Xunit.Sdk.XunitException>(() => run.WaitForOutputAsync("never printed", TimeSpan.FromSeconds(60)));

        Assert.Contains("ended its output without", error.Message);
        Assert.Contains("--- stderr\nreplica: ", error.Message);
    }
}
