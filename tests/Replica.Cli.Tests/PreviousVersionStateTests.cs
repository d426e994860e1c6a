using System.Text.Json;
using Replica.Environments.Processes;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>
/// An environment the previous version of Replica started, whose state.json calls the dependencies "edges": status
/// still lists them (under their new name) and down still brings it down.
/// </summary>
public sealed class PreviousVersionStateTests : IsolatedCliTest
{
    [Fact]
    public async Task A_state_file_with_edges_is_shown_with_its_dependencies_and_brought_down()
    {
        // What the previous version's owner left behind: a process it started, and an owner that is gone.
        using var scratch = new ScratchDirectory();
        using var leftover = ProcessGroupLauncher.Start(["sleep", "300"], new Dictionary<string, string>(), scratch.Path, Path.Combine(scratch.Path, "sleep.log"));
        var identity = ProcessIdentity.Of(leftover.Id)!;
        Directory.CreateDirectory(State.Store.DirectoryOf("previous"));
        File.WriteAllText(Path.Combine(State.Store.DirectoryOf("previous"), "state.json"), $$"""
            {
              "name": "previous",
              "composeFile": "{{JsonEncodedText.Encode(RepositoryPaths.ComposeFile)}}",
              "runtime": "process",
              "owner": { "pid": 1, "startTicks": -1 },
              "detached": true,
              "phase": "up",
              "createdAt": "2026-12-01T10:00:00+00:00",
              "services": {},
              "processes": [ { "pid": {{identity.Pid}}, "startTicks": {{identity.StartTicks}} } ],
              "edges": [
                { "name": "backend_redis", "dependent": "backend", "dependency": "redis", "address": "127.0.0.1:40001", "upstream": "127.0.0.1:6379", "proxied": true }
              ],
              "endpoints": {},
              "seeds": {}
            }
            """);

        var status = await Cli.RunAsync(["status", "--json", "--name", "previous"]);
        using var json = JsonDocument.Parse(status.StandardOutput);
        Assert.Equal("orphaned", json.RootElement.GetProperty("phase").GetString());
        var dependency = Assert.Single(json.RootElement.GetProperty("dependencies").EnumerateArray());
        Assert.Equal(("backend_redis", "127.0.0.1:40001"), (dependency.GetProperty("name").GetString(), dependency.GetProperty("address").GetString()));

        var down = await Cli.RunAsync(["down", "--name", "previous"]);

        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Contains("had lost its owner", down.StandardOutput);
        Assert.True(leftover.WaitForExit(TimeSpan.FromSeconds(10)), "down did not stop the process the previous version started");
        Assert.Empty(State.Store.Names());
    }
}
