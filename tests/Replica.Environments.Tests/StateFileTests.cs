using System.Text.Json;
using Replica.Environments.Processes;
using Replica.Environments.State;
using Replica.Tests.Support;

namespace Replica.Environments.Tests;

/// <summary>The state file's dependencies: written as "dependencies", and read under the previous version's "edges" too.</summary>
public sealed class StateFileTests
{
    private static readonly DependencyRecord Redis = new("backend_redis", "backend", "redis", "127.0.0.1:40001", "127.0.0.1:6379", true);

    [Fact]
    public void Dependencies_are_written_as_dependencies_and_read_back()
    {
        using var scratch = new ScratchDirectory();
        var store = new StateStore(scratch.Path);

        store.Write(State() with { Dependencies = [Redis] });

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(store.DirectoryOf("env"), "state.json")));
        Assert.Equal("backend_redis", Assert.Single(json.RootElement.GetProperty("dependencies").EnumerateArray()).GetProperty("name").GetString());
        Assert.False(json.RootElement.TryGetProperty("edges", out _));
        Assert.Equal([Redis], store.Read("env")!.Dependencies);
    }

    [Fact]
    public void A_state_file_of_the_previous_version_names_them_edges_and_is_read_with_its_dependencies()
    {
        using var scratch = new ScratchDirectory();
        var store = new StateStore(scratch.Path);
        store.Write(State());
        var file = Path.Combine(store.DirectoryOf("env"), "state.json");
        var previous = File.ReadAllText(file).Replace(
            "\"dependencies\": []",
            """
            "edges": [ { "name": "backend_redis", "dependent": "backend", "dependency": "redis", "address": "127.0.0.1:40001", "upstream": "127.0.0.1:6379", "proxied": true } ]
            """);
        Assert.Contains("\"edges\"", previous);
        File.WriteAllText(file, previous);

        Assert.Equal([Redis], store.Read("env")!.Dependencies);
    }

    private static EnvironmentState State() => new()
    {
        Name = "env",
        ComposeFile = "compose.yaml",
        Runtime = "process",
        Owner = ProcessIdentity.Current(),
    };
}
