using Replica.Environments.Hosting;
using Replica.Environments.Runtimes;

namespace Replica.Tests.Support;

/// <summary>
/// A real redis-server for a test, started the way Replica starts one (a one-service compose file run by the process
/// runtime, ready once it answers): an ephemeral port, no persistence. Disposing it stops the server and removes its
/// state and files, also when starting it failed halfway.
/// </summary>
public sealed class RedisEnvironment : IAsyncDisposable
{
    private readonly IsolatedStateStore _state;
    private readonly ScratchDirectory _directory;
    private readonly RunningEnvironment _environment;

    private RedisEnvironment(IsolatedStateStore state, ScratchDirectory directory, RunningEnvironment environment)
    {
        _state = state;
        _directory = directory;
        _environment = environment;
    }

    /// <summary>The redis-server service, for the lifecycle verbs (pause, resume, kill, start).</summary>
    public RunningService Service => _environment["redis"];

    public HostEndpoint Endpoint => Service.Endpoint!;

    public string Address => Endpoint.ToString();

    public static async Task<RedisEnvironment> StartAsync()
    {
        var name = $"redis-{Guid.NewGuid():N}"[..14];
        var state = new IsolatedStateStore();
        var directory = new ScratchDirectory("replica-redis-");
        try
        {
            var compose = directory.Write("compose.yaml", """
                services:
                  redis:
                    image: redis:7
                    ports: ["6379"]
                """);
            var environment = await new EnvironmentBuilder().WithComposeFile(compose).WithName(name).WithStateDirectory(state.Root).Build().StartAsync();
            return new RedisEnvironment(state, directory, environment);
        }
        catch
        {
            await state.DisposeAsync();
            directory.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _environment.DisposeAsync();
        }
        finally
        {
            await _state.DisposeAsync();
            _directory.Dispose();
        }
    }
}
