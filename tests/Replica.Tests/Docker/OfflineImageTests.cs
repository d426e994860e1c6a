using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Replica.Environments.Docker;
using Replica.Environments.Errors;
using Xunit.Abstractions;
using Replica.Tests.Support;

namespace Replica.Tests.Docker;

[Trait("Category", "Docker")]
[Collection(DockerCollection.Name)]
public sealed class OfflineImageTests(DockerEngineFixture engine, ITestOutputHelper output) : IDisposable
{
    private readonly ScratchDirectory _context = new("replica-offline-context-");

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task A_second_build_with_unchanged_inputs_is_the_cached_image()
    {
        await engine.RequireBaseImageAsync();
        var builder = new ImageBuilder(engine.Docker, engine.OfflineSettings);
        var clock = Stopwatch.StartNew();
        var first = await builder.RedisAsync();
        output.WriteLine($"first call: {clock.Elapsed.TotalSeconds:0.0} s (built: {first.Built})");

        clock.Restart();
        var second = await builder.RedisAsync();
        output.WriteLine($"second call: {clock.Elapsed.TotalSeconds:0.0} s (built: {second.Built})");

        Assert.False(second.Built);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.ContentHash, second.ContentHash);
        var image = await engine.Docker.InspectImageAsync(ImageBuilder.RedisTag);
        Assert.Equal(second.ContentHash, image!.Labels[ReplicaLabels.ContentHash]);
    }

    [Fact]
    public async Task A_changed_file_or_build_argument_rebuilds_and_the_old_image_goes()
    {
        var baseImage = await engine.RequireBaseImageAsync();
        var docker = engine.Docker;
        var builder = new ImageBuilder(docker, engine.OfflineSettings);
        var tag = $"replica-test/cached:{engine.RunId}";
        File.WriteAllText(Path.Combine(_context.Path, "Dockerfile"), "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nARG FLAVOUR\nCOPY data.txt /data.txt\nRUN echo \"$FLAVOUR\" > /flavour\n");
        File.WriteAllText(Path.Combine(_context.Path, "data.txt"), "one");
        var context = BuildContext.FromDirectory(_context.Path);
        var vanilla = new Dictionary<string, string> { ["FLAVOUR"] = "vanilla" };
        try
        {
            var first = await builder.EnsureBuiltAsync(tag, context, baseImage, vanilla);
            var cached = await builder.EnsureBuiltAsync(tag, context, baseImage, vanilla);
            File.WriteAllText(Path.Combine(_context.Path, "data.txt"), "two");
            var fileChanged = await builder.EnsureBuiltAsync(tag, context, baseImage, vanilla);
            var argChanged = await builder.EnsureBuiltAsync(tag, context, baseImage, new Dictionary<string, string> { ["FLAVOUR"] = "mint" });

            Assert.True(first.Built);
            Assert.False(cached.Built);
            Assert.Equal(first.Id, cached.Id);
            Assert.True(fileChanged.Built);
            Assert.NotEqual(first.ContentHash, fileChanged.ContentHash);
            Assert.True(argChanged.Built);
            Assert.NotEqual(fileChanged.ContentHash, argChanged.ContentHash);
            Assert.Equal(argChanged.Id, (await docker.InspectImageAsync(tag))!.Id);
            // The images it replaced do not pile up.
            Assert.Null(await docker.InspectImageAsync(first.Id));
            Assert.Null(await docker.InspectImageAsync(fileChanged.Id));
        }
        finally
        {
            await docker.RemoveImageAsync(tag, force: true);
        }
    }

    [Fact]
    public async Task A_missing_base_image_says_how_to_make_it()
    {
        var docker = engine.Docker;
        var settings = engine.OfflineSettings with { BaseImage = $"replica-test/no-such-base:{engine.RunId}" };

        var error = await Assert.ThrowsAsync<ReplicaException>(() => new ImageBuilder(docker, settings).RedisAsync());

        Assert.Contains($"base image replica-test/no-such-base:{engine.RunId} is not on the engine", error.Message);
        Assert.Contains("docker-tier.sh images", error.Hint);
        Assert.Equal(3, error.ExitCode);
    }

    [Fact]
    public async Task The_offline_postgres_image_accepts_a_password_login_from_the_host()
    {
        await engine.RequireBaseImageAsync();
        var image = await new ImageBuilder(engine.Docker, engine.OfflineSettings).PostgresAsync();
        await using var postgres = await DockerContainer.RunAsync(engine.Docker, new ContainerSpec(image.Tag)
        {
            Labels = engine.Labels,
            Ports = [5432],
            Environment = new Dictionary<string, string> { ["POSTGRES_PASSWORD"] = "s3cret", ["POSTGRES_DB"] = "replica" },
            Healthcheck = new HealthcheckSpec(["CMD", "pg_isready", "-h", "localhost", "-U", "postgres"]) { Interval = TimeSpan.FromMilliseconds(300) },
        });
        await postgres.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));

        var connectionString = $"Host=127.0.0.1;Port={postgres.HostPort(5432)};Username=postgres;Password=s3cret;Database=replica;Timeout=15";
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select current_database()", connection);

        Assert.Equal("replica", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_service_published_self_contained_runs_on_the_base_image_and_is_cached()
    {
        await engine.RequireBaseImageAsync();
        var builder = new ImageBuilder(engine.Docker, engine.OfflineSettings);
        var clock = Stopwatch.StartNew();
        var first = await builder.ServiceAsync($"auth-{engine.RunId}", RepositoryPaths.StagingAuthProject);
        output.WriteLine($"publish + build: {clock.Elapsed.TotalSeconds:0.0} s");
        try
        {
            clock.Restart();
            var progress = new List<string>();
            var second = await new ImageBuilder(engine.Docker, engine.OfflineSettings, new ListProgress(progress))
                .ServiceAsync($"auth-{engine.RunId}", RepositoryPaths.StagingAuthProject);
            output.WriteLine($"cached: {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.True(first.Built);
            Assert.False(second.Built);
            Assert.Equal(first.Id, second.Id);
            // Unchanged sources: the image is known current from their hash, without publishing again.
            Assert.Equal([$"replica/auth-{engine.RunId}:local: cached (sources {(await engine.Docker.InspectImageAsync(first.Tag))!.Labels[ReplicaLabels.SourceHash][..12]})"], progress);

            await using var auth = await DockerContainer.RunAsync(engine.Docker, new ContainerSpec(first.Tag)
            {
                Labels = engine.Labels,
                Ports = [9000],
                Environment = new Dictionary<string, string> { ["ASPNETCORE_URLS"] = "http://+:9000" },
            });
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{auth.HostPort(9000)}") };

            var health = await GetWhenListeningAsync(http, "/auth/health", TimeSpan.FromSeconds(60));

            Assert.Equal("healthy", health.GetProperty("status").GetString());
        }
        finally
        {
            await engine.Docker.RemoveImageAsync(first.Tag, force: true);
        }
    }

    private static async Task<JsonElement> GetWhenListeningAsync(HttpClient http, string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return await http.GetFromJsonAsync<JsonElement>(path);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // The port is published before the service listens behind it.
                await Task.Delay(100);
            }
        }
    }
}
