using Npgsql;
using Replica.Environments.Errors;
using Replica.Environments.Hosting;
using Replica.Environments.Processes;
using Replica.Environments.Runtimes.Process;
using Replica.Tests.Support;

namespace Replica.Environments.Tests;

/// <summary>The reference topology on the process runtime: real redis-server, PostgreSQL and the two services.</summary>
public sealed class ProcessEnvironmentTests : IAsyncLifetime
{
    private readonly IsolatedStateStore _state = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _state.DisposeAsync();

    private EnvironmentBuilder Builder(string name) =>
        new EnvironmentBuilder().WithComposeFile(RepositoryPaths.ComposeFile).WithName(name).WithStateDirectory(_state.Root);

    [Fact]
    public async Task Up_brings_all_four_services_up_healthy_and_dispose_leaves_nothing_behind()
    {
        var name = $"up-{Guid.NewGuid():N}"[..12];
        var events = new List<EnvironmentEvent>();
        var environment = await Builder(name).WithObserver(e => { lock (events) events.Add(e); }).Build().StartAsync();
        string workDirectory;
        List<int> pids;
        try
        {
            Assert.All(environment.Services, s => Assert.Equal(ServiceStatus.Healthy, s.Status));

            var redis = environment["redis"].Endpoint!;
            Assert.Equal("127.0.0.1", redis.Host);
            Assert.Equal("PONG", await RedisPing.SendAsync(redis.Host, redis.Port, TimeSpan.FromSeconds(5)));

            var pg = environment["postgres"].Endpoint!;
            await using (var connection = new NpgsqlConnection($"Host={pg.Host};Port={pg.Port};Username=netra;Password=netra;Database=netra;Pooling=false"))
            {
                await connection.OpenAsync();
                Assert.Equal(1, await new NpgsqlCommand("SELECT 1", connection).ExecuteScalarAsync());
            }

            using var http = new HttpClient();
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync($"http://{environment["backend"].Endpoint}/health")).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync($"http://{environment["auth"].Endpoint}/auth/health")).StatusCode);

            // Healthy events come in dependency order: the backend only after everything it depends on.
            var healthyAt = events.Where(e => e.Kind == EnvironmentEventKind.Healthy).Select(e => e.Service!).ToList();
            Assert.Equal("backend", healthyAt[^1]);

            // Each service got its dependencies' real endpoints in place of the compose host names.
            var dependencies = environment.Dependencies.ToDictionary(d => d.Name);
            Assert.Equal(redis.ToString(), dependencies["backend_redis"].Address);
            Assert.Equal(pg.ToString(), dependencies["backend_postgres"].Address);

            var state = environment.State!;
            Assert.Equal(4, state.Services.Count);
            pids = state.Services.Values.Select(s => s.Process!.Pid).ToList();
            Assert.All(pids, pid => Assert.True(ProcessTable.Alive(pid)));
            workDirectory = environment.WorkDirectory;
            Assert.True(Directory.Exists(Path.Combine(workDirectory, "postgres")));
        }
        finally
        {
            await environment.DisposeAsync();
        }

        Assert.All(pids, pid => Assert.False(ProcessTable.Alive(pid), $"pid {pid} still alive after dispose"));
        Assert.Empty(ProcessTable.WithCommandLine(workDirectory));
        Assert.False(Directory.Exists(workDirectory));
        Assert.Null(_state.Store.Read(name));
    }

    [Fact]
    public async Task PostgreSQL_starts_where_a_Unix_socket_path_in_its_work_directory_would_pass_the_kernels_limit()
    {
        using var dir = new ScratchDirectory();
        var compose = dir.Write("compose.yaml", """
            services:
              postgres:
                image: postgres:15
                environment: { POSTGRES_USER: netra, POSTGRES_PASSWORD: netra, POSTGRES_DB: netra }
                ports: ["5432"]
            """);
        // A long environment name stands for a long TMPDIR (a macOS user's, or a CI runner's): either makes the path long.
        var name = "long-" + new string('n', 80);
        await using var environment = await new EnvironmentBuilder().WithComposeFile(compose).WithName(name).WithStateDirectory(_state.Root)
            .Build().StartAsync();

        var socket = Path.Combine(environment.WorkDirectory, "postgres", $".s.PGSQL.{environment["postgres"].Endpoint!.Port}");
        Assert.True(socket.Length > 107, $"the test needs a socket path over 107 bytes; {socket} has {socket.Length}");
        Assert.Equal(ServiceStatus.Healthy, environment["postgres"].Status);
        var pg = environment["postgres"].Endpoint!;
        await using var connection = new NpgsqlConnection($"Host={pg.Host};Port={pg.Port};Username=netra;Password=netra;Database=netra;Pooling=false");
        await connection.OpenAsync();
        Assert.Equal(1, await new NpgsqlCommand("SELECT 1", connection).ExecuteScalarAsync());
    }

    [Fact]
    public async Task Lifecycle_verbs_act_on_the_real_process_and_keep_its_endpoint()
    {
        var topology = """
            services:
              redis:
                image: redis:7
                ports: ["6379"]
            """;
        using var dir = new ScratchDirectory();
        await using var environment = await new EnvironmentBuilder()
            .WithComposeFile(dir.Write("compose.yaml", topology)).WithName("verbs").WithStateDirectory(_state.Root)
            .Build().StartAsync();
        var redis = environment["redis"];
        var endpoint = redis.Endpoint!;

        await redis.PauseAsync();
        Assert.Equal('T', ProcessIdentity.StateOf(redis.Instance!.ProcessId!.Value));
        await Assert.ThrowsAsync<TimeoutException>(() => RedisPing.SendAsync(endpoint.Host, endpoint.Port, TimeSpan.FromMilliseconds(300)));
        await redis.ResumeAsync();
        Assert.Equal("PONG", await RedisPing.SendAsync(endpoint.Host, endpoint.Port, TimeSpan.FromSeconds(5)));

        var firstPid = redis.Instance.ProcessId!.Value;
        await redis.RestartAsync();
        Assert.NotEqual(firstPid, redis.Instance.ProcessId);
        Assert.False(ProcessTable.Alive(firstPid));
        Assert.Equal(endpoint, redis.Endpoint);
        Assert.Equal("PONG", await RedisPing.SendAsync(endpoint.Host, endpoint.Port, TimeSpan.FromSeconds(5)));

        await redis.KillAsync();
        Assert.Equal(ServiceStatus.Stopped, redis.Status);
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => RedisPing.SendAsync(endpoint.Host, endpoint.Port, TimeSpan.FromSeconds(2)));

        await redis.StartAsync();
        Assert.Equal("PONG", await RedisPing.SendAsync(endpoint.Host, endpoint.Port, TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData(true, 3)] // the assembly under `dotnet`: two debugger pipes and the diagnostic socket
    [InlineData(false, 1)] // the native executable (Native AOT): no debugger, its diagnostic socket only
    public async Task A_killed_dotnet_service_leaves_none_of_its_runtimes_pipes_and_socket_in_its_temp_directory(bool assembliesOnly, int files)
    {
        // A .NET process removes its debugger pipes and diagnostic socket when it exits by itself; SIGKILL leaves them
        // in whatever TMPDIR the service has. The process runtime removes them once it is gone.
        await using var environment = await Builder($"kill-{Guid.NewGuid():N}"[..12])
            .WithRuntime("process", ctx => new ProcessRuntime(new ProcessRuntimeOptions(
                ctx.WorkDirectory, ProcessRuntimeOptions.DefaultCacheDirectory, ctx.ProcessStarted, ctx.Progress, DotnetAssembliesOnly: assembliesOnly)))
            .Build().StartAsync();
        var backend = environment["backend"];
        var pid = backend.Instance!.ProcessId!.Value;
        var leftovers = DotnetRuntimeFiles.PathsOf(ProcessIdentity.Of(pid)!, DotnetRuntimeFiles.TempDirectoryOf(pid)).Where(Path.Exists).ToList();
        Assert.Equal(files, leftovers.Count);

        await backend.KillAsync();

        Assert.False(ProcessTable.Alive(pid));
        Assert.All(leftovers, path => Assert.False(Path.Exists(path), $"{path} outlived the killed backend"));
    }

    [Fact]
    public async Task A_killed_postgres_leaves_no_shared_memory_behind()
    {
        // Killed with SIGKILL, PostgreSQL cannot remove its System V segment (it stays until reboot) nor its dynamic
        // shared memory (in /dev/shm by default): both used to pile up, kill after kill.
        await using var environment = await Builder($"pgkill-{Guid.NewGuid():N}"[..12]).Build().StartAsync();
        var postgres = environment["postgres"];
        var dataDirectory = Path.Combine(environment.WorkDirectory, "postgres");
        var segment = PostgresSharedMemory.RecordedSegment(dataDirectory);
        Assert.NotNull(segment);
        Assert.True(PostgresSharedMemory.SegmentExists(segment.Value.Key, segment.Value.Id), "the running server's segment is not in /proc/sysvipc/shm");
        // Its dynamic shared memory lives in the data directory, not in /dev/shm.
        var dynamicSegments = Directory.GetFiles(Path.Combine(dataDirectory, "pg_dynshmem")).Select(Path.GetFileName).ToList();
        Assert.NotEmpty(dynamicSegments);
        Assert.All(dynamicSegments, name => Assert.False(File.Exists(Path.Combine("/dev/shm", name!)), $"{name} is in /dev/shm"));

        await postgres.KillAsync();

        Assert.False(ProcessTable.Alive(segment.Value.Pid));
        Assert.False(PostgresSharedMemory.SegmentExists(segment.Value.Key, segment.Value.Id), $"segment {segment.Value.Id} outlived the killed server");

        // A server started again in the same data directory records a segment of its own, and keeps it.
        await postgres.StartAsync();
        var restarted = PostgresSharedMemory.RecordedSegment(dataDirectory);
        Assert.NotNull(restarted);
        Assert.True(PostgresSharedMemory.SegmentExists(restarted.Value.Key, restarted.Value.Id));
    }

    [Fact]
    public async Task A_service_that_never_gets_healthy_fails_up_with_its_name_last_check_and_log_lines()
    {
        using var dir = new ScratchDirectory();
        var compose = dir.Write("compose.yaml", """
            services:
              redis:
                image: redis:7
                ports: ["6379"]
              api:
                image: api
                ports: ["8000"]
                depends_on: { redis: { condition: service_healthy } }
                x-replica:
                  command: ["sh", "-c", "echo booting the api; echo still booting >&2; exec sleep 60"]
                  health: { http: /ready }
                  start_timeout: 1500ms
            """);
        var definition = new EnvironmentBuilder().WithComposeFile(compose).WithName("unhealthy").WithStateDirectory(_state.Root).Build();

        var error = await Assert.ThrowsAsync<ReplicaException>(() => definition.StartAsync());

        Assert.Contains("service 'api' did not become healthy within 1.5 s", error.Message);
        Assert.Contains("last check: HTTP GET http://127.0.0.1:", error.Message);
        Assert.Contains("/ready", error.Message);
        Assert.Contains("booting the api", error.Message);
        Assert.Contains("still booting", error.Message);
        Assert.Empty(ProcessTable.WithCommandLine("echo booting the api"));
        Assert.Null(_state.Store.Read("unhealthy"));
    }

    [Fact]
    public async Task A_service_that_exits_before_it_is_healthy_fails_fast_with_its_exit_code()
    {
        using var dir = new ScratchDirectory();
        var compose = dir.Write("compose.yaml", """
            services:
              api:
                image: api
                ports: ["8000"]
                x-replica:
                  command: ["sh", "-c", "echo cannot bind >&2; exit 3"]
                  start_timeout: 60s
            """);
        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<ReplicaException>(() =>
            new EnvironmentBuilder().WithComposeFile(compose).WithName("exits").WithStateDirectory(_state.Root).Build().StartAsync());

        Assert.Contains("service 'api' exited with code 3 before it was healthy", error.Message);
        Assert.Contains("cannot bind", error.Message);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), "should fail on exit, not wait out the timeout");
    }

    [Fact]
    public async Task A_deferred_service_starts_when_asked_and_gets_its_dependencies_endpoints()
    {
        using var dir = new ScratchDirectory();
        var compose = dir.Write("compose.yaml", """
            services:
              redis:
                image: redis:7
                ports: ["6379"]
              client:
                image: client
                environment:
                  TARGET: redis:6379
                # $$ keeps Compose (and Replica) from interpolating $TARGET when reading the file.
                x-replica:
                  command: ["sh", "-c", "echo target=$$TARGET; exec sleep 60"]
            """);
        await using var environment = await new EnvironmentBuilder().WithComposeFile(compose).WithName("deferred")
            .WithStateDirectory(_state.Root).WithDeferredStart("client").WithSetting("client", "EXTRA", "x").Build().StartAsync();

        Assert.Equal(ServiceStatus.Pending, environment["client"].Status);
        await environment["client"].StartAsync();

        var redis = environment["redis"].Endpoint!;
        await ServiceLog.WaitForLineAsync(environment["client"], line => line == $"target={redis}", TimeSpan.FromSeconds(10), "its rewritten TARGET", window: 5);
    }

    [Fact]
    public async Task A_dependency_that_starts_late_is_not_waited_for_and_its_dependents_point_at_where_it_will_listen()
    {
        using var dir = new ScratchDirectory();
        var compose = dir.Write("compose.yaml", """
            services:
              redis:
                image: redis:7
                ports: ["6379"]
              client:
                image: client
                depends_on: { redis: { condition: service_healthy } }
                environment:
                  TARGET: redis:6379
                x-replica:
                  command: ["sh", "-c", "echo target=$$TARGET; exec sleep 60"]
            """);
        await using var environment = await new EnvironmentBuilder().WithComposeFile(compose).WithName("late")
            .WithStateDirectory(_state.Root).WithDeferredStart("redis").Build().StartAsync();

        Assert.Equal(ServiceStatus.Pending, environment["redis"].Status);
        var line = await WaitForLineAsync(environment["client"], "target=");
        var target = Replica.Environments.Runtimes.HostEndpoint.Parse(line["target=".Length..]);
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => RedisPing.SendAsync(target.Host, target.Port, TimeSpan.FromSeconds(2)));

        await environment["redis"].StartAsync();

        Assert.Equal(target, environment["redis"].Endpoint);
        Assert.Equal("PONG", await RedisPing.SendAsync(target.Host, target.Port, TimeSpan.FromSeconds(5)));
    }

    private static async Task<string> WaitForLineAsync(RunningService service, string prefix)
    {
        return await ServiceLog.WaitForLineAsync(service, l => l.StartsWith(prefix, StringComparison.Ordinal), TimeSpan.FromSeconds(10), $"a line starting '{prefix}'", window: 20);
    }
}
