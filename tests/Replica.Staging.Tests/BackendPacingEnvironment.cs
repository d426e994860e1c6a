using Replica.Environments.Hosting;
using Replica.Tests.Support;

namespace Replica.Staging.Tests;

/// <summary>
/// The staging topology with a fast heartbeat and paced agent events, started once for <see cref="BackendPacingTests"/>.
/// The tests talk to the backend directly, so auth is left out of the start (the backend does not wait for it).
/// </summary>
public sealed class BackendPacingEnvironment : IAsyncLifetime
{
    private readonly IsolatedStateStore _state = new();
    private RunningEnvironment? _environment;

    public RunningEnvironment Environment => _environment ?? throw new InvalidOperationException("the environment is not up yet");

    public async Task InitializeAsync() =>
        _environment = await StagingTopology.Builder("staging-pacing", _state.Root)
            .WithSetting("backend", "AGENT_EVENT_DELAY", "100ms")
            .WithSetting("backend", "HEARTBEAT_INTERVAL", "300ms")
            .WithSetting("backend", "REDIS_READY_GRACE", "0ms")
            .WithDeferredStart("auth")
            .Build().StartAsync();

    public async Task DisposeAsync()
    {
        try
        {
            if (_environment is not null)
            {
                await _environment.DisposeAsync();
            }
        }
        finally
        {
            await _state.DisposeAsync();
        }
    }
}
