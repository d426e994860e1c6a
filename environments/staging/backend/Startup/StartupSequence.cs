using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Replica.Staging.Backend.Agents;
using Replica.Staging.Backend.Configuration;
using Replica.Staging.Backend.Database;
using Replica.Staging.Backend.Redis;

namespace Replica.Staging.Backend.Startup;

/// <summary>
/// What the backend does after it listens (so /health can answer "Startup in progress" meanwhile): Redis connects in
/// the background and is never waited for — staging's health was green without it; the database is initialised the
/// R1 way; the agent supervisor is created the R3 way. Then startup is complete, or failed for good.
/// </summary>
public sealed class StartupSequence(BackendSettings settings, DatabaseManager database, RedisConnection redis, SupervisorBootstrap supervisor,
    StartupState state, ILogger logger)
{
    public async Task RunAsync(CancellationToken stopping)
    {
        var clock = Stopwatch.StartNew();
        logger.LogInformation("startup: R1_DATABASE_MANAGER={R1} R2_WEBSOCKET_READINESS={R2} R3_AGENT_SUPERVISOR={R3}",
            Lower(settings.R1DatabaseManager), Lower(settings.R2WebSocketReadiness), Lower(settings.R3AgentSupervisor));
        redis.Start();
        var supervisorSettled = supervisor.RunAsync(stopping);
        try
        {
            if (settings.R1DatabaseManager == IncidentMode.Seed)
            {
                // Staging started initialisation in the background; a synchronous startup step then needed the engine.
                if (!await database.TryInitializeOnceAsync(stopping))
                {
                    logger.LogInformation("database: initialization failed ({Error}); startup continues", database.LastError);
                }
                try
                {
                    database.GetEngine();
                }
                catch (DatabaseUnavailableException)
                {
                    logger.LogInformation(
                        "R1: startup needed the database engine before it was initialized; the seed auto-initialization slept {Wait} on the same thread and failed; /health answers 503 until restart",
                        DurationSetting.Format(settings.DatabaseAutoInitWait));
                    throw;
                }
            }
            else
            {
                await database.InitializeAsync(stopping);
            }
            await supervisorSettled;
        }
        catch (DatabaseUnavailableException ex)
        {
            state.Fail(ex.Message);
            logger.LogWarning("startup: failed after {Elapsed} ms: {Reason}", clock.ElapsedMilliseconds, ex.Message);
            return;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            // Nothing awaits this sequence (it runs after the server listens): a failure not foreseen above must still
            // reach /health, or it would answer "Startup in progress" for good.
            state.Fail(ex.Message);
            logger.LogError(ex, "startup: failed unexpectedly after {Elapsed} ms", clock.ElapsedMilliseconds);
            return;
        }
        state.Complete();
        logger.LogInformation("startup: complete in {Elapsed} ms", clock.ElapsedMilliseconds);
    }

    private static string Lower(IncidentMode mode) => mode.ToString().ToLowerInvariant();
}
