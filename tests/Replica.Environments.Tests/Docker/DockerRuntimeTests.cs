using System.Net;
using System.Net.Sockets;
using Docker.DotNet.Models;
using ServiceStatus = Replica.Environments.Hosting.ServiceStatus;
using Npgsql;
using Replica.Environments.Docker;
using Replica.Environments.Errors;
using Replica.Environments.Hosting;
using Replica.Environments.Runtimes;
using Replica.Environments.Runtimes.Docker;
using Replica.Tests.Support;

namespace Replica.Environments.Tests.Docker;

/// <summary>
/// Environments on the docker runtime through <see cref="EnvironmentBuilder"/>: real containers on a real engine,
/// offline images (the docker tier builds Redis and PostgreSQL; the service images are built on first use and cached).
/// After every test, the engine is asked (through the Docker.DotNet client Testcontainers brings) whether anything with
/// the environment's label is left.
/// </summary>
[Trait("Category", "Docker")]
[Collection(DockerCollection.Name)]
public sealed class DockerRuntimeTests(DockerEngineFixture engine) : IAsyncLifetime
{
    private readonly IsolatedStateStore _state = new();
    private readonly ScratchDirectory _dir = new("replica-docker-runtime-");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _state.DisposeAsync();
        _dir.Dispose();
    }

    private static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private EnvironmentBuilder Builder(string name, string composeFile) =>
        new EnvironmentBuilder()
            .WithComposeFile(composeFile)
            .WithName(name)
            .WithStateDirectory(_state.Root)
            .WithRuntime(DockerRuntime.RuntimeName, ctx => new DockerRuntime(new DockerRuntimeOptions(ctx.EnvironmentName, engine.OfflineSettings, ctx.Progress)));

    private async Task AssertNothingLabelledAsync(string environment)
    {
        var (containers, networks) = await engine.EnvironmentResourcesAsync(environment);
        Assert.True(containers.Count == 0, $"containers left: {string.Join(", ", containers.SelectMany(c => c.Names))}");
        Assert.True(networks.Count == 0, $"networks left: {string.Join(", ", networks.Select(n => n.Name))}");
    }

    [Fact]
    public async Task The_reference_topology_comes_up_healthy_in_containers_and_dispose_removes_every_container_and_the_network()
    {
        await engine.RequireBaseImageAsync();
        var name = UniqueName("ref");
        var events = new List<EnvironmentEvent>();
        var environment = await Builder(name, RepositoryPaths.ComposeFile).WithObserver(e => { lock (events) events.Add(e); }).Build().StartAsync();
        try
        {
            Assert.All(environment.Services, s => Assert.Equal(ServiceStatus.Healthy, s.Status));
            Assert.All(environment.Services, s => Assert.Equal("127.0.0.1", s.Endpoint!.Host));

            var redis = environment["redis"].Endpoint!;
            Assert.Equal("PONG", await RedisPing.SendAsync(redis.Host, redis.Port, TimeSpan.FromSeconds(5)));
            var pg = environment["postgres"].Endpoint!;
            await using (var connection = new NpgsqlConnection($"Host={pg.Host};Port={pg.Port};Username=netra;Password=netra;Database=netra;Pooling=false"))
            {
                await connection.OpenAsync();
                Assert.Equal(1, await new NpgsqlCommand("SELECT 1", connection).ExecuteScalarAsync());
            }
            using var http = new HttpClient();
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://{environment["backend"].Endpoint}/health")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://{environment["auth"].Endpoint}/auth/health")).StatusCode);

            // One labelled container per service, named after it, on the environment's network under its service name.
            var network = await engine.Docker.Networks.InspectNetworkAsync($"replica-{name}");
            Assert.Equal(name, network.Labels[ReplicaLabels.Environment]);
            foreach (var service in environment.Services)
            {
                var container = await engine.Docker.Containers.InspectContainerAsync(service.Instance!.ContainerId!);
                Assert.Equal($"/replica-{name}-{service.Name}", container.Name);
                Assert.Equal(name, container.Config!.Labels![ReplicaLabels.Environment]);
                Assert.Equal(service.Name, container.Config!.Labels![ReplicaLabels.Service]);
                Assert.Contains(service.Name, container.NetworkSettings!.Networks[network.Name].Aliases);
                // Published on 127.0.0.1 only, on the port chosen before the start.
                var binding = Assert.Single(container.NetworkSettings!.Ports[$"{service.Definition.PrimaryPort}/tcp"]);
                Assert.Equal(("127.0.0.1", service.Endpoint!.Port.ToString()), (binding.HostIP, binding.HostPort));
            }

            // Dependencies are reached by service name inside the network, as compose.yaml writes them.
            var dependencies = environment.Dependencies.ToDictionary(d => d.Name);
            Assert.Equal("redis:6379", dependencies["backend_redis"].Address);
            Assert.Equal(redis.ToString(), dependencies["backend_redis"].Upstream);
            // A proxy for these dependencies would listen on the network's gateway.
            var gateway = Gateway(network);
            Assert.Equal(gateway, environment.Runtime.ServiceFacingHost);
            // Nothing is published there: the same port on the bridge's host address is closed.
            using (var client = new TcpClient())
            {
                var refused = await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(gateway, redis.Port));
                Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
            }

            // The image's (compose) healthcheck is waited for, besides the check from the host.
            var healthy = events.Where(e => e.Kind == EnvironmentEventKind.Healthy).ToDictionary(e => e.Service!, e => e.Message);
            Assert.Contains("Redis PING", healthy["redis"]);
            Assert.Contains($"container healthcheck of replica-{name}-redis", healthy["redis"]);
            Assert.Contains($"container healthcheck of replica-{name}-postgres", healthy["postgres"]);

            Assert.Contains(environment["redis"].TailLog(50), line => line.Contains("Ready to accept connections"));
            Assert.Equal("docker", environment.State!.Runtime);
            Assert.All(environment.State.Services.Values, s => Assert.NotNull(s.ContainerId));
        }
        finally
        {
            await environment.DisposeAsync();
        }

        await AssertNothingLabelledAsync(name);
        Assert.Null(_state.Store.Read(name));
    }

    [Fact]
    public async Task Lifecycle_verbs_map_to_the_engine_and_the_endpoint_and_the_log_carry_over_restarts()
    {
        await engine.RequireBaseImageAsync();
        var compose = _dir.Write("compose.yaml", "services:\n  redis:\n    image: redis:7\n    ports: [\"6379\"]\n");
        var name = UniqueName("verbs");
        await using var environment = await Builder(name, compose).Build().StartAsync();
        var redis = environment["redis"];
        var endpoint = redis.Endpoint!;
        var containerId = redis.Instance!.ContainerId!;

        await redis.PauseAsync();
        Assert.Equal("paused", (await engine.Docker.Containers.InspectContainerAsync(containerId)).State!.Status);
        await Assert.ThrowsAsync<TimeoutException>(() => RedisPing.SendAsync(endpoint.Host, endpoint.Port, TimeSpan.FromMilliseconds(500)));
        await redis.ResumeAsync();
        Assert.Equal("PONG", await RedisPing.SendAsync(endpoint.Host, endpoint.Port, TimeSpan.FromSeconds(5)));

        await redis.StopAsync();
        Assert.Equal("exited", (await engine.Docker.Containers.InspectContainerAsync(containerId)).State!.Status);
        Assert.Equal(0, await redis.Instance.Exited.WaitAsync(TimeSpan.FromSeconds(10)));
        await Assert.ThrowsAnyAsync<SocketException>(() => RedisPing.SendAsync(endpoint.Host, endpoint.Port, TimeSpan.FromSeconds(2)));

        await redis.StartAsync();
        // The same container on the same host port: a fixed binding survives stop and start.
        Assert.Equal(containerId, redis.Instance.ContainerId);
        Assert.Equal(endpoint, redis.Endpoint);
        Assert.Equal("PONG", await RedisPing.SendAsync(endpoint.Host, endpoint.Port, TimeSpan.FromSeconds(5)));

        await redis.KillAsync();
        Assert.Equal(137, await redis.Instance.Exited.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(ServiceStatus.Stopped, redis.Status);

        await redis.RestartAsync();
        Assert.Equal(endpoint, redis.Endpoint);
        Assert.Equal("PONG", await RedisPing.SendAsync(endpoint.Host, endpoint.Port, TimeSpan.FromSeconds(5)));

        // Three runs of the container, each one's output in the log once: nothing repeated, nothing lost.
        var log = await File.ReadAllLinesAsync(redis.Instance.LogFile);
        Assert.Equal(3, log.Count(l => l.Contains("Ready to accept connections")));
        Assert.Equal(3, log.Count(l => l.Contains("Redis is starting")));
    }

    [Fact]
    public async Task A_host_port_fixed_in_compose_is_the_one_published()
    {
        await engine.RequireBaseImageAsync();
        var port = Replica.Environments.Processes.PortAllocator.Ephemeral();
        var compose = _dir.Write("compose.yaml", $"services:\n  redis:\n    image: redis:7\n    ports: [\"{port}:6379\"]\n");
        var name = UniqueName("fixed");
        await using var environment = await Builder(name, compose).Build().StartAsync();

        Assert.Equal(new HostEndpoint("127.0.0.1", port), environment["redis"].Endpoint);
        Assert.Equal("PONG", await RedisPing.SendAsync("127.0.0.1", port, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_server_on_the_service_facing_host_is_reachable_from_a_container_through_the_interposer()
    {
        var baseImage = await engine.RequireBaseImageAsync();
        // The client writes one line to whatever address it is given for redis:6379.
        var compose = _dir.Write("compose.yaml", $$"""
            services:
              redis:
                image: redis:7
                ports: ["6379"]
              client:
                image: {{baseImage}}
                command: ["bash", "-c", "exec 3<>/dev/tcp/$${TARGET%:*}/$${TARGET#*:} && echo hello-from-the-container >&3 && sleep 60"]
                environment:
                  TARGET: redis:6379
                depends_on: { redis: { condition: service_healthy } }
            """);
        var name = UniqueName("gateway");
        var listeners = new List<TcpListener>();
        var accepted = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        var interposed = new List<(string Dependency, HostEndpoint Upstream, string Host)>();
        var definition = Builder(name, compose).WithDependencyInterposer((dependency, upstream, serviceFacingHost, ct) =>
        {
            // What a fault proxy does: listen where the services can reach it (and nowhere else).
            var listener = new TcpListener(IPAddress.Parse(serviceFacingHost), 0);
            listener.Start();
            lock (listeners)
            {
                listeners.Add(listener);
                interposed.Add((dependency.Name, upstream, serviceFacingHost));
            }
            _ = Task.Run(async () => accepted.TrySetResult(await listener.AcceptSocketAsync()));
            return Task.FromResult(new HostEndpoint(serviceFacingHost, ((IPEndPoint)listener.LocalEndpoint).Port));
        }).Build();
        try
        {
            await using var environment = await definition.StartAsync();

            var (dependency, upstream, host) = Assert.Single(interposed);
            Assert.Equal("client_redis", dependency);
            Assert.Equal(environment["redis"].Endpoint, upstream);
            var network = await engine.Docker.Networks.InspectNetworkAsync($"replica-{name}");
            Assert.Equal(Gateway(network), host);
            Assert.NotEqual("127.0.0.1", host);

            using var socket = await accepted.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using var stream = new NetworkStream(socket);
            using var reader = new StreamReader(stream);
            Assert.Equal("hello-from-the-container", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal($"{host}:{((IPEndPoint)socket.LocalEndPoint!).Port}", environment.Dependencies.Single().Address);
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
        await AssertNothingLabelledAsync(name);
    }

    [Fact]
    public async Task A_failing_container_healthcheck_keeps_the_service_from_being_healthy_even_when_the_host_check_passes()
    {
        await engine.RequireBaseImageAsync();
        var compose = _dir.Write("compose.yaml", """
            services:
              redis:
                image: redis:7
                ports: ["6379"]
                healthcheck:
                  test: ["CMD-SHELL", "echo the cache is not warm yet; exit 1"]
                  interval: 200ms
                  retries: 1
                x-replica:
                  start_timeout: 4s
            """);
        var name = UniqueName("sick");

        var error = await Assert.ThrowsAsync<ReplicaException>(() => Builder(name, compose).Build().StartAsync());

        Assert.Contains("service 'redis' did not become healthy within 4 s", error.Message);
        Assert.Contains($"container healthcheck of replica-{name}-redis", error.Message);
        Assert.Contains("exited with 1; it said: the cache is not warm yet", error.Message);
        await AssertNothingLabelledAsync(name);
        Assert.Null(_state.Store.Read(name));
    }

    [Fact]
    public async Task An_images_own_HEALTHCHECK_keeps_the_service_from_being_healthy_until_the_engine_reports_it_healthy()
    {
        var baseImage = await engine.RequireBaseImageAsync();
        // No port, no compose healthcheck: the image's HEALTHCHECK is the only check, so the service would be healthy
        // at once if it were missed.
        _dir.Write("cold/Dockerfile", $"FROM {baseImage}\nHEALTHCHECK --interval=1s --retries=1 CMD echo the cache is cold; exit 1\nCMD [\"sleep\", \"60\"]\n");
        var compose = _dir.Write("compose.yaml", """
            services:
              cold:
                build: ./cold
                x-replica:
                  start_timeout: 4s
            """);
        var name = UniqueName("cold");
        try
        {
            var error = await Assert.ThrowsAsync<ReplicaException>(() => Builder(name, compose).Build().StartAsync());

            Assert.Contains("service 'cold' did not become healthy within 4 s", error.Message);
            Assert.Contains($"container healthcheck of replica-{name}-cold", error.Message);
            Assert.Contains("container health is", error.Message);
            await AssertNothingLabelledAsync(name);
        }
        finally
        {
            await engine.Docker.Images.DeleteImageAsync($"replica/{name}-cold:local", new() { Force = true });
        }
    }

    [Fact]
    public async Task A_container_healthcheck_without_an_interval_is_run_at_once_not_after_dockers_30_s()
    {
        await engine.RequireBaseImageAsync();
        var compose = _dir.Write("compose.yaml", """
            services:
              redis:
                image: redis:7
                ports: ["6379"]
                healthcheck:
                  test: ["CMD", "redis-cli", "ping"]
                  start_interval: 500ms
                x-replica:
                  start_timeout: 20s
            """);
        var name = UniqueName("interval");

        await using (var environment = await Builder(name, compose).Build().StartAsync())
        {
            Assert.Equal(ServiceStatus.Healthy, environment["redis"].Status);
        }
        await AssertNothingLabelledAsync(name);
    }

    [Fact]
    public async Task A_one_shot_container_that_exits_0_completes_its_dependents_condition()
    {
        var baseImage = await engine.RequireBaseImageAsync();
        var compose = _dir.Write("compose.yaml", $$"""
            services:
              migrate:
                image: {{baseImage}}
                command: ["bash", "-c", "echo migrated"]
              app:
                image: {{baseImage}}
                command: ["sleep", "60"]
                depends_on: { migrate: { condition: service_completed_successfully } }
            """);
        var name = UniqueName("oneshot");
        await using var environment = await Builder(name, compose).Build().StartAsync();

        Assert.Equal(0, await environment["migrate"].Instance!.Exited.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(ServiceStatus.Healthy, environment["app"].Status);
        await ServiceLog.WaitForLineAsync(environment["migrate"], line => line == "migrated", TimeSpan.FromSeconds(10), "its output 'migrated'", window: 5);
    }

    [Fact]
    public async Task An_image_that_fails_to_build_fails_up_with_the_build_steps_error_and_leaves_nothing()
    {
        var baseImage = await engine.RequireBaseImageAsync();
        _dir.Write("api/Dockerfile", $"FROM {baseImage}\nRUN echo compiling the api && exit 7\n");
        var compose = _dir.Write("compose.yaml", "services:\n  api:\n    build: ./api\n    ports: [\"8000\"]\n");
        var name = UniqueName("broken");

        var error = await Assert.ThrowsAsync<ReplicaException>(() => Builder(name, compose).Build().StartAsync());

        Assert.Contains($"build image replica/{name}-api:local failed", error.Message);
        Assert.Contains("returned a non-zero code: 7", error.Message);
        Assert.Contains("compiling the api", error.Message);
        await AssertNothingLabelledAsync(name);
        Assert.Null(await engine.InspectImageAsync($"replica/{name}-api:local"));
    }

    [Fact]
    public async Task Under_the_offline_policy_a_missing_image_is_named_and_nothing_is_pulled()
    {
        await engine.RequireBaseImageAsync();
        var compose = _dir.Write("compose.yaml", "services:\n  api:\n    image: replica-test/not-built-here:1\n");
        var name = UniqueName("missing");

        var error = await Assert.ThrowsAsync<ReplicaException>(() => Builder(name, compose).Build().StartAsync());

        Assert.Equal(ReplicaErrorKind.MissingPrerequisite, error.Kind);
        Assert.Contains("services.api: image replica-test/not-built-here:1 is not on the Docker engine at", error.Message);
        Assert.Contains("the offline image policy pulls nothing", error.Message);
        await AssertNothingLabelledAsync(name);
    }

    [Fact]
    public async Task Under_the_official_policy_an_unreachable_registry_is_said_and_the_offline_policy_suggested()
    {
        // A registry on a loopback port nobody listens on: unreachable on every machine, and no traffic leaves it.
        var compose = _dir.Write("compose.yaml", "services:\n  api:\n    image: 127.0.0.1:1/replica-test/api:1\n");
        var name = UniqueName("registry");
        var official = new EnvironmentBuilder().WithComposeFile(compose).WithName(name).WithStateDirectory(_state.Root)
            .WithRuntime(DockerRuntime.RuntimeName, ctx => new DockerRuntime(new DockerRuntimeOptions(
                ctx.EnvironmentName, engine.OfflineSettings with { Policy = ImagePolicy.Official }, ctx.Progress)));

        var error = await Assert.ThrowsAsync<ReplicaException>(() => official.Build().StartAsync());

        Assert.Equal(ReplicaErrorKind.MissingPrerequisite, error.Kind);
        Assert.Contains("pull image 127.0.0.1:1/replica-test/api:1 failed: no image registry is reachable from the engine", error.Message);
        Assert.Contains("--images offline", error.Hint);
        await AssertNothingLabelledAsync(name);
    }

    [Fact]
    public async Task A_service_that_exits_while_starting_fails_up_with_its_exit_code_and_both_output_streams_and_leaves_nothing()
    {
        var baseImage = await engine.RequireBaseImageAsync();
        var compose = _dir.Write("compose.yaml", $$"""
            services:
              app:
                image: {{baseImage}}
                command: ["sh", "-c", "echo reading the config; echo 'cannot read config' >&2; exit 4"]
                ports: ["8080"]
                x-replica:
                  health: { http: /ready }
            """);
        var name = UniqueName("exits");
        // An HTTP check: the engine's port forwarder accepts TCP connections on the published port whether or not
        // anything listens behind it, so only an answer proves the service is up.

        var error = await Assert.ThrowsAsync<ReplicaException>(() => Builder(name, compose).Build().StartAsync());

        Assert.Contains("service 'app' exited with code 4 before it was healthy", error.Message);
        Assert.Contains("reading the config", error.Message);
        Assert.Contains("cannot read config", error.Message);
        await AssertNothingLabelledAsync(name);
    }

    [Fact]
    public async Task A_container_the_engine_cannot_start_fails_up_naming_the_service_and_the_cause_and_leaves_nothing()
    {
        var baseImage = await engine.RequireBaseImageAsync();
        var compose = _dir.Write("compose.yaml", $"services:\n  app:\n    image: {baseImage}\n    command: [\"/no/such/program\"]\n");
        var name = UniqueName("nostart");

        var error = await Assert.ThrowsAsync<ReplicaException>(() => Builder(name, compose).Build().StartAsync());

        Assert.Contains($"service 'app': container replica-{name}-app did not start:", error.Message);
        Assert.Contains("/no/such/program", error.Message);
        await AssertNothingLabelledAsync(name);
    }

    private static string Gateway(NetworkResponse network) =>
        network.IPAM.Config.First(c => !c.Subnet.Contains(':')).Gateway;
}
