using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using DotNet.Testcontainers.Builders;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Replica.Environments.Docker;
using Replica.Environments.Errors;
using Replica.Tests.Support;
using Xunit.Abstractions;

namespace Replica.Environments.Tests.Docker;

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
        var builder = new ImageBuilder(engine.Engine, engine.OfflineSettings);
        var clock = Stopwatch.StartNew();
        var first = await builder.RedisAsync();
        output.WriteLine($"first call: {clock.Elapsed.TotalSeconds:0.0} s (built: {first.Built})");

        clock.Restart();
        var second = await builder.RedisAsync();
        output.WriteLine($"second call: {clock.Elapsed.TotalSeconds:0.0} s (built: {second.Built})");

        Assert.False(second.Built);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.ContentHash, second.ContentHash);
        var image = await engine.InspectImageAsync(ImageBuilder.RedisTag);
        Assert.Equal(second.ContentHash, image!.Config!.Labels![ReplicaLabels.ContentHash]);
    }

    [Fact]
    public async Task A_changed_file_or_build_argument_rebuilds_and_the_old_image_goes()
    {
        var baseImage = await engine.RequireBaseImageAsync();
        var builder = new ImageBuilder(engine.Engine, engine.OfflineSettings);
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
            Assert.Equal(argChanged.Id, (await engine.InspectImageAsync(tag))!.ID);
            // The images it replaced do not pile up.
            Assert.Null(await engine.InspectImageAsync(first.Id));
            Assert.Null(await engine.InspectImageAsync(fileChanged.Id));
        }
        finally
        {
            await engine.Docker.Images.DeleteImageAsync(tag, new() { Force = true });
        }
    }

    [Fact]
    public async Task A_missing_base_image_says_how_to_make_it()
    {
        var settings = engine.OfflineSettings with { BaseImage = $"replica-test/no-such-base:{engine.RunId}" };

        var error = await Assert.ThrowsAsync<ReplicaException>(() => new ImageBuilder(engine.Engine, settings).RedisAsync());

        Assert.Contains($"base image replica-test/no-such-base:{engine.RunId} is not on the engine", error.Message);
        Assert.Contains("docker-tier.sh images", error.Hint);
        Assert.Equal(ReplicaErrorKind.MissingPrerequisite, error.Kind);
    }

    [Fact]
    public async Task The_offline_postgres_image_accepts_a_password_login_from_the_host()
    {
        await engine.RequireBaseImageAsync();
        var image = await new ImageBuilder(engine.Engine, engine.OfflineSettings).PostgresAsync();
        // A plain Testcontainers container on the image, with Testcontainers' own wait: what a test author writes.
        await using var postgres = new ContainerBuilder(image.Tag)
            .WithLabel(engine.Labels)
            .WithPortBinding(5432, assignRandomHostPort: true)
            .WithEnvironment(new Dictionary<string, string> { ["POSTGRES_PASSWORD"] = "s3cret", ["POSTGRES_DB"] = "replica" })
            .WithWaitStrategy(Wait.ForUnixContainer().UntilCommandIsCompleted(["pg_isready", "-h", "localhost", "-U", "postgres"], w => w.WithInterval(TimeSpan.FromMilliseconds(200))))
            .WithLogger(NullLogger.Instance)
            .Build();
        await postgres.StartAsync().WaitAsync(TimeSpan.FromSeconds(90));

        Assert.Equal("127.0.0.1", postgres.Hostname);
        var connectionString = $"Host={postgres.Hostname};Port={postgres.GetMappedPublicPort(5432)};Username=postgres;Password=s3cret;Database=replica;Timeout=15";
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select current_database()", connection);

        Assert.Equal("replica", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task The_offline_postgres_image_gives_the_cluster_made_at_build_the_containers_user_and_database_once()
    {
        await engine.RequireBaseImageAsync();
        var image = await new ImageBuilder(engine.Engine, engine.OfflineSettings).PostgresAsync();
        await using var postgres = new ContainerBuilder(image.Tag)
            .WithLabel(engine.Labels)
            .WithPortBinding(5432, assignRandomHostPort: true)
            .WithEnvironment(new Dictionary<string, string> { ["POSTGRES_USER"] = "net'ra", ["POSTGRES_PASSWORD"] = "pa'ss", ["POSTGRES_DB"] = "staging db" })
            .WithWaitStrategy(Wait.ForUnixContainer().UntilCommandIsCompleted(["pg_isready", "-h", "localhost"], w => w.WithInterval(TimeSpan.FromMilliseconds(200))))
            .WithLogger(NullLogger.Instance)
            .Build();
        await postgres.StartAsync().WaitAsync(TimeSpan.FromSeconds(90));
        var connectionString = $"Host={postgres.Hostname};Port={postgres.GetMappedPublicPort(5432)};Username=net'ra;Password=pa'ss;Database=staging db;Timeout=15;Pooling=false";

        async Task<object[]> QueryAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            return row;
        }

        // As after `initdb -U USER` and `CREATE DATABASE DB OWNER USER`: USER is the bootstrap superuser (oid 10) and
        // the only role, and owns DB; the spare database and the setup role are gone.
        var cluster = await QueryAsync(
            "select current_user::text, (select oid::int from pg_roles where rolname = current_user), " +
            "(select count(*)::int from pg_roles where rolname !~ '^pg_'), " +
            "(select pg_get_userbyid(datdba) from pg_database where datname = current_database()), " +
            "(select string_agg(datname, ',' order by datname) from pg_database)");
        Assert.Equal(new object[] { "net'ra", 10, 1, "net'ra", "postgres,staging db,template0,template1" }, cluster);
        await QueryAsync("create table kept (id int); insert into kept values (42); select 1");
        var wrongPassword = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var connection = new NpgsqlConnection(connectionString.Replace("Password=pa'ss", "Password=wrong"));
            await connection.OpenAsync();
        });
        Assert.Equal("28P01", wrongPassword.SqlState);

        // A restart is no first start: the data stays, the configuration is not run again.
        await postgres.StopAsync();
        await postgres.StartAsync().WaitAsync(TimeSpan.FromSeconds(90));
        connectionString = connectionString.Replace($"Port={new NpgsqlConnectionStringBuilder(connectionString).Port}", $"Port={postgres.GetMappedPublicPort(5432)}");
        Assert.Equal(new object[] { 42 }, await QueryAsync("select id from kept"));
        var (stdout, stderr) = await postgres.GetLogsAsync();
        Assert.Single((stdout + stderr).Split('\n'), line => line.Contains("initialised /var/lib/postgresql/data (user net'ra, database staging db)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_offline_postgres_image_without_a_password_exits_saying_which_variable_to_set()
    {
        await engine.RequireBaseImageAsync();
        var image = await new ImageBuilder(engine.Engine, engine.OfflineSettings).PostgresAsync();
        await using var postgres = new ContainerBuilder(image.Tag)
            .WithLabel(engine.Labels)
            .WithEnvironment("POSTGRES_USER", "netra")
            .WithLogger(NullLogger.Instance)
            .Build();
        await postgres.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));

        var exitCode = await postgres.GetExitCodeAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        var (_, stderr) = await postgres.GetLogsAsync();
        Assert.Contains("POSTGRES_PASSWORD is not set; set it, or POSTGRES_HOST_AUTH_METHOD=trust", stderr);
    }

    [Fact]
    public async Task A_service_published_self_contained_runs_on_the_base_image_and_is_cached()
    {
        await engine.RequireBaseImageAsync();
        var builder = new ImageBuilder(engine.Engine, engine.OfflineSettings);
        var clock = Stopwatch.StartNew();
        var first = await builder.ServiceAsync($"auth-{engine.RunId}", RepositoryPaths.StagingAuthProject);
        output.WriteLine($"publish + build: {clock.Elapsed.TotalSeconds:0.0} s");
        try
        {
            clock.Restart();
            var progress = new List<string>();
            var second = await new ImageBuilder(engine.Engine, engine.OfflineSettings, new SynchronousProgress<string>(progress.Add))
                .ServiceAsync($"auth-{engine.RunId}", RepositoryPaths.StagingAuthProject);
            output.WriteLine($"cached: {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.True(first.Built);
            Assert.False(second.Built);
            Assert.Equal(first.Id, second.Id);
            // Unchanged sources: the image is known current from their hash, without publishing again.
            Assert.Equal([$"replica/auth-{engine.RunId}:local: cached (sources {(await engine.InspectImageAsync(first.Tag))!.Config!.Labels![ReplicaLabels.SourceHash][..12]})"], progress);

            await using var auth = new ContainerBuilder(first.Tag)
                .WithLabel(engine.Labels)
                .WithPortBinding(9000, assignRandomHostPort: true)
                .WithEnvironment("ASPNETCORE_URLS", "http://+:9000")
                .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(r => r.ForPort(9000).ForPath("/auth/health"), w => w.WithInterval(TimeSpan.FromMilliseconds(200))))
                .WithLogger(NullLogger.Instance)
                .Build();
            await auth.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));
            using var http = new HttpClient { BaseAddress = new Uri($"http://{auth.Hostname}:{auth.GetMappedPublicPort(9000)}") };

            var health = await http.GetFromJsonAsync<JsonElement>("/auth/health");

            Assert.Equal("healthy", health.GetProperty("status").GetString());
        }
        finally
        {
            await engine.Docker.Images.DeleteImageAsync(first.Tag, new() { Force = true });
        }
    }
}
