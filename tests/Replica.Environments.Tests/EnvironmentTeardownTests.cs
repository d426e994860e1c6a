using Replica.Environments.Errors;
using Replica.Environments.Hosting;
using Replica.Tests.Support;

namespace Replica.Environments.Tests;

/// <summary>Teardown is best effort: one step that fails does not skip the others, nor hide why startup failed.</summary>
public sealed class EnvironmentTeardownTests : IAsyncLifetime
{
    private readonly IsolatedStateStore _state = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _state.DisposeAsync();

    [Fact]
    public async Task A_service_whose_stop_fails_is_reported_and_everything_else_is_still_torn_down()
    {
        using var dir = new ScratchDirectory();
        var compose = dir.Write("compose.yaml", """
            services:
              stuck:
                image: stuck
                x-replica:
                  command: ["sh", "-c", "exec sleep 60"]
              other:
                image: other
                depends_on: [stuck]
                x-replica:
                  command: ["sh", "-c", "exec sleep 60"]
            """);
        var events = new List<EnvironmentEvent>();
        StopFailingRuntime? runtime = null;
        var environment = await new EnvironmentBuilder().WithComposeFile(compose).WithName("teardown").WithStateDirectory(_state.Root)
            .WithRuntime("process", ctx => runtime = new StopFailingRuntime(ctx, "stuck"))
            .WithObserver(e => { lock (events) events.Add(e); })
            .Build().StartAsync();
        var pids = environment.Services.Select(s => s.Instance!.ProcessId!.Value).ToList();
        var work = environment.WorkDirectory;

        await environment.DisposeAsync();

        Assert.All(pids, pid => Assert.False(ProcessTable.Alive(pid), $"pid {pid} still alive"));
        Assert.True(runtime!.Disposed, "the runtime was not disposed");
        Assert.False(Directory.Exists(work));
        Assert.Null(_state.Store.Read("teardown"));
        lock (events)
        {
            Assert.Contains(events, e => e.Service == "stuck" && e.Kind == EnvironmentEventKind.Progress && e.Message.Contains(StopFailingInstance.Failure));
        }
    }

    [Fact]
    public async Task A_failed_start_reports_why_it_failed_even_when_a_stop_fails_in_the_cleanup()
    {
        using var dir = new ScratchDirectory();
        var compose = dir.Write("compose.yaml", """
            services:
              stuck:
                image: stuck
                x-replica:
                  command: ["sh", "-c", "exec sleep 60"]
              api:
                image: api
                ports: ["8000"]
                depends_on: { stuck: { condition: service_started } }
                x-replica:
                  command: ["sh", "-c", "echo cannot bind >&2; exit 3"]
            """);
        StopFailingRuntime? runtime = null;
        var definition = new EnvironmentBuilder().WithComposeFile(compose).WithName("failed-start").WithStateDirectory(_state.Root)
            .WithRuntime("process", ctx => runtime = new StopFailingRuntime(ctx, "stuck"))
            .Build();

        var error = await Assert.ThrowsAsync<ReplicaException>(() => definition.StartAsync());

        Assert.Contains("service 'api' exited with code 3 before it was healthy", error.Message);
        Assert.Contains("cannot bind", error.Message);
        Assert.True(runtime!.Disposed, "the runtime was not disposed");
        Assert.Empty(ProcessTable.WithCommandLine("cannot bind"));
        Assert.Null(_state.Store.Read("failed-start"));
    }
}
