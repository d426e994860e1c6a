using System.Diagnostics;
using System.Net.Sockets;
using Replica.Environments.Docker;
using Replica.Environments.Errors;
using Replica.Tests.Support;

namespace Replica.Tests.Docker;

[Trait("Category", "Docker")]
[Collection(DockerCollection.Name)]
public sealed class ContainerLifecycleTests(DockerEngineFixture engine)
{
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(30);

    private async Task<DockerContainer> RunRedisAsync(HealthcheckSpec? healthcheck = null)
    {
        var image = await engine.RedisImageAsync();
        return await DockerContainer.RunAsync(engine.Docker, new ContainerSpec(image.Tag)
        {
            Labels = engine.Labels,
            Ports = [6379],
            Healthcheck = healthcheck,
        });
    }

    [Fact]
    public async Task A_redis_container_answers_PING_on_a_random_loopback_port()
    {
        await using var redis = await RunRedisAsync();

        var port = redis.HostPort(6379);
        Assert.InRange(port, 1024, 65535);
        Assert.Equal(ContainerStatus.Running, redis.Info.Status);
        Assert.Equal("PONG", await RedisPing.PingWhenReadyAsync(port, Ready));

        // Published on 127.0.0.1 only: the same port on the bridge's host address is closed.
        var gateway = redis.Info.Networks["bridge"].Gateway;
        using var client = new TcpClient();
        var refused = await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(gateway, port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task Pause_freezes_replies_and_unpause_releases_them()
    {
        await using var redis = await RunRedisAsync();
        var port = redis.HostPort(6379);
        await RedisPing.PingWhenReadyAsync(port, Ready);
        await using var client = await RedisPing.ConnectAsync("127.0.0.1", port, Ready);

        await redis.PauseAsync();
        Assert.Equal(ContainerStatus.Paused, redis.Info.Status);
        var reply = RedisPing.PingAsync(client, Ready);
        // Frozen: no answer for a whole second (a lower bound; it may wait much longer).
        Assert.NotSame(reply, await Task.WhenAny(reply, Task.Delay(TimeSpan.FromSeconds(1))));

        await redis.UnpauseAsync();
        Assert.Equal(ContainerStatus.Running, redis.Info.Status);
        Assert.Equal("PONG", await reply);
        Assert.Equal(port, redis.HostPort(6379));
    }

    [Fact]
    public async Task Stop_closes_the_port_and_start_publishes_a_new_one()
    {
        await using var redis = await RunRedisAsync();
        var before = redis.HostPort(6379);
        await RedisPing.PingWhenReadyAsync(before, Ready);

        await redis.StopAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(ContainerStatus.Exited, redis.Info.Status);
        Assert.Empty(redis.Info.HostPorts);
        using (var client = new TcpClient())
        {
            var refused = await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", before));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }

        await redis.StartAsync();
        Assert.Equal(ContainerStatus.Running, redis.Info.Status);
        Assert.Equal("PONG", await RedisPing.PingWhenReadyAsync(redis.HostPort(6379), Ready));
    }

    [Fact]
    public async Task Kill_ends_the_process_with_SIGKILL_and_restart_brings_it_back()
    {
        await using var redis = await RunRedisAsync();
        await RedisPing.PingWhenReadyAsync(redis.HostPort(6379), Ready);
        var firstStart = redis.Info.StartedAt;

        await redis.KillAsync();
        Assert.Equal(ContainerStatus.Exited, redis.Info.Status);
        Assert.Equal(137, redis.Info.ExitCode);

        await redis.RestartAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(ContainerStatus.Running, redis.Info.Status);
        Assert.True(redis.Info.StartedAt > firstStart, $"started {redis.Info.StartedAt}, first {firstStart}");
        Assert.Equal("PONG", await RedisPing.PingWhenReadyAsync(redis.HostPort(6379), Ready));
    }

    [Fact]
    public async Task Wait_returns_the_exit_code()
    {
        var docker = engine.Docker;
        var id = await docker.CreateContainerAsync(new ContainerSpec(await engine.RequireBaseImageAsync())
        {
            Labels = engine.Labels,
            Command = ["sh", "-c", "exit 3"],
        });
        try
        {
            await docker.StartContainerAsync(id);

            Assert.Equal(3, await docker.WaitContainerAsync(id));
            var info = await docker.InspectContainerAsync(id);
            Assert.Equal(ContainerStatus.Exited, info.Status);
            Assert.Equal(3, info.ExitCode);
        }
        finally
        {
            await docker.RemoveContainerAsync(id);
        }
    }

    [Fact]
    public async Task A_container_that_exits_while_starting_is_an_error_with_its_output_and_is_removed()
    {
        var spec = new ContainerSpec(await engine.RequireBaseImageAsync())
        {
            Labels = engine.Labels,
            Command = ["sh", "-c", "echo 'cannot read config' >&2; exit 4"],
            Ports = [8080],
            Healthcheck = new HealthcheckSpec(["CMD", "true"]) { Interval = TimeSpan.FromSeconds(30) },
        };

        // The exit may come before RunAsync sees the container running, or after: either way the caller
        // learns it while waiting for readiness, with the exit code and what the container printed.
        var error = await Assert.ThrowsAsync<ReplicaException>(async () =>
        {
            await using var container = await DockerContainer.RunAsync(engine.Docker, spec);
            await container.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        });

        Assert.Contains("exited with code 4", error.Message);
        Assert.Contains("cannot read config", error.Message);
        Assert.Empty(await engine.Docker.ListContainersAsync(new Dictionary<string, string?> { [ReplicaLabels.Run] = engine.RunId }));
    }

    [Fact]
    public async Task A_container_that_cannot_start_is_an_error_naming_the_cause_and_is_removed()
    {
        var spec = new ContainerSpec(await engine.RequireBaseImageAsync())
        {
            Labels = engine.Labels,
            Command = ["/no/such/program"],
        };

        var error = await Assert.ThrowsAsync<DockerApiException>(() => DockerContainer.RunAsync(engine.Docker, spec));

        Assert.Contains("start container", error.Message);
        Assert.Contains("/no/such/program", error.Message);
        Assert.Empty(await engine.Docker.ListContainersAsync(new Dictionary<string, string?> { [ReplicaLabels.Run] = engine.RunId }));
    }

    [Fact]
    public async Task Logs_keep_stdout_and_stderr_apart_across_frames_and_chunks()
    {
        var docker = engine.Docker;
        var id = await docker.CreateContainerAsync(new ContainerSpec(await engine.RequireBaseImageAsync())
        {
            Labels = engine.Labels,
            // Interleaved small writes, then enough output to span many HTTP chunks.
            Command = ["sh", "-c", "echo out-1; echo err-1 >&2; echo out-2; echo err-2 >&2; seq 1 40000; seq 1 20000 >&2"],
        });
        try
        {
            await docker.StartContainerAsync(id);
            Assert.Equal(0, await docker.WaitContainerAsync(id));

            var logs = await docker.GetLogsAsync(id);

            var stdout = logs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var stderr = logs.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(["out-1", "out-2", "1", "2"], stdout.Take(4));
            Assert.Equal(["err-1", "err-2", "1", "2"], stderr.Take(4));
            Assert.Equal(40002, stdout.Length);
            Assert.Equal(20002, stderr.Length);
            Assert.Equal("40000", stdout[^1]);
            Assert.Equal("20000", stderr[^1]);
        }
        finally
        {
            await docker.RemoveContainerAsync(id);
        }
    }

    [Fact]
    public async Task Following_logs_delivers_output_as_it_is_written()
    {
        await using var container = await DockerContainer.RunAsync(engine.Docker, new ContainerSpec(await engine.RequireBaseImageAsync())
        {
            Labels = engine.Labels,
            Command = ["sh", "-c", "i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.2; done"],
        });
        using var timeout = new CancellationTokenSource(Ready);
        var seen = new List<string>();

        await foreach (var frame in container.FollowLogsAsync(cancellationToken: timeout.Token))
        {
            Assert.Equal(LogStream.Stdout, frame.Stream);
            seen.Add(frame.Text.Trim());
            if (seen.Count == 3)
            {
                break;
            }
        }

        Assert.Equal(["tick-1", "tick-2", "tick-3"], seen);
    }

    [Fact]
    public async Task A_healthcheck_reports_healthy_once_redis_answers()
    {
        await using var redis = await RunRedisAsync(new HealthcheckSpec(["CMD", "redis-cli", "ping"]) { Interval = TimeSpan.FromMilliseconds(200) });

        await redis.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));

        Assert.True(redis.Info.Health!.IsHealthy);
        Assert.Equal("PONG", redis.Info.Health.LastOutput);
    }

    [Fact]
    public async Task A_failing_healthcheck_times_out_with_the_check_output()
    {
        await using var redis = await RunRedisAsync(new HealthcheckSpec(["CMD-SHELL", "echo not-ready-yet; exit 1"]) { Interval = TimeSpan.FromMilliseconds(200) });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ReplicaException>(() => redis.WaitUntilHealthyAsync(TimeSpan.FromSeconds(2)));

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2), $"gave up after {clock.Elapsed}");
        Assert.Contains("was not healthy within 2 s", error.Message);
        Assert.Contains("not-ready-yet", error.Message);
    }
}
