using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Replica.Staging.Backend.Agents;
using Replica.Staging.Backend.Configuration;
using Replica.Staging.Backend.Database;
using Replica.Staging.Backend.Redis;
using Replica.Staging.Backend.Startup;

namespace Replica.Staging.Tests;

/// <summary>The startup sequence runs unawaited after the backend listens, so every way it can fail must reach /health.</summary>
public sealed class StartupSequenceTests
{
    [Fact]
    public async Task A_failure_nobody_foresaw_still_fails_startup_instead_of_leaving_it_in_progress_for_good()
    {
        // Built directly, past the settings' checks: a retry interval Task.Delay refuses, reached once the first
        // attempt on a closed port fails.
        var port = ClosedPort();
        var settings = new BackendSettings
        {
            DatabaseUrl = $"postgresql://netra:netra@127.0.0.1:{port}/netra",
            RedisUrl = $"redis://127.0.0.1:{port}/0",
            R1DatabaseManager = IncidentMode.Fixed,
            DatabaseRetryInterval = TimeSpan.FromDays(60),
            DatabaseInitTimeout = TimeSpan.FromDays(120),
            AgentSupervisorStartupWait = TimeSpan.FromMinutes(10),
        };
        await using var redis = new RedisConnection(settings, NullLogger.Instance);
        await using var database = new DatabaseManager(settings, NullLogger.Instance);
        var supervisor = new SupervisorBootstrap(settings, database, new AgentHandlerSlot(),
            () => throw new InvalidOperationException("no supervisor in this test"),
            _ => throw new InvalidOperationException("no fallback in this test"), NullLogger.Instance);
        var state = new StartupState(TimeProvider.System);
        using var stopping = new CancellationTokenSource();

        await new StartupSequence(settings, database, redis, supervisor, state, NullLogger.Instance).RunAsync(stopping.Token)
            .WaitAsync(TimeSpan.FromSeconds(30));
        await stopping.CancelAsync();

        Assert.False(state.IsComplete);
        Assert.NotNull(state.Failure);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
