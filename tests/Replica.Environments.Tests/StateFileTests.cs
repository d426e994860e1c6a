using System.Text.Json;
using Replica.Environments.Processes;
using Replica.Environments.State;
using Replica.Tests.Support;

namespace Replica.Environments.Tests;

/// <summary>
/// The state file: written as it always was (its metadata now generated at build time), collections a file leaves out
/// read as empty, and dependencies read under the previous version's "edges" too.
/// </summary>
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

    [Fact]
    public void A_full_state_is_written_byte_for_byte_as_the_reflection_serializer_writes_it_and_read_back_equal()
    {
        using var scratch = new ScratchDirectory();
        var store = new StateStore(scratch.Path);
        var owner = ProcessIdentity.Current();
        var state = State() with
        {
            Detached = true,
            Phase = EnvironmentPhase.Up,
            Error = "é <not> \"quoted\"",
            WorkDirectory = "/dev/shm/replica-env-abc123",
            CreatedAt = new DateTimeOffset(2026, 12, 6, 23, 0, 0, TimeSpan.FromHours(1)),
            Services = new Dictionary<string, ServiceRecord>
            {
                ["redis"] = new("redis", "redis", new Dictionary<string, string> { ["6379"] = "127.0.0.1:40000" }, owner, null,
                    new Replica.Environments.Compose.HealthCheckSpec(Replica.Environments.Compose.HealthCheckKind.RedisPing, null, 6379),
                    new Dictionary<string, string> { ["timeout"] = "3s" }, "/state/env/logs/redis.log", "stopped"),
            },
            Processes = [owner],
            Dependencies = [Redis],
            Endpoints = new Dictionary<string, string> { ["edge"] = "127.0.0.1:40002" },
            Settings = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["backend"] = new Dictionary<string, string> { ["REDIS_CONNECT_TIMEOUT"] = "30s" } },
            Seeds = new Dictionary<string, long> { ["edge"] = 42 },
        };

        store.Write(state);

        // The file as the previous versions wrote it, by reflection: web defaults, indented, enums as camelCase names.
        var reflection = ReflectionJsonOracle.Options(indented: true);
        var written = File.ReadAllText(Path.Combine(store.DirectoryOf("env"), "state.json"));
        Assert.Equal(JsonSerializer.Serialize(state, reflection), written);
        Assert.Contains("\"phase\": \"up\"", written);
        var read = store.Read("env")!;
        Assert.Equal(JsonSerializer.Serialize(state, reflection), JsonSerializer.Serialize(read, reflection));
    }

    [Fact]
    public void A_file_with_only_the_required_fields_reads_with_empty_collections()
    {
        using var scratch = new ScratchDirectory();
        var store = new StateStore(scratch.Path);
        Directory.CreateDirectory(store.DirectoryOf("env"));
        File.WriteAllText(Path.Combine(store.DirectoryOf("env"), "state.json"),
            $$"""{ "name": "env", "composeFile": "compose.yaml", "runtime": "process", "owner": { "pid": {{Environment.ProcessId}}, "startTicks": 1 } }""");

        var read = store.Read("env")!;

        Assert.Equal("env", read.Name);
        Assert.Empty(read.Services);
        Assert.Empty(read.Processes);
        Assert.Empty(read.Dependencies);
        Assert.Empty(read.Endpoints);
        Assert.Empty(read.Settings);
        Assert.Empty(read.Seeds);
        Assert.Null(read.WorkDirectory);
    }

    private static EnvironmentState State() => new()
    {
        Name = "env",
        ComposeFile = "compose.yaml",
        Runtime = "process",
        Owner = ProcessIdentity.Current(),
    };
}
