using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Replica.Staging.Backend.Configuration;
using Replica.Staging.Backend.Database;

namespace Replica.Staging.Backend.Agents;

/// <summary>
/// Creates the agent supervisor at startup once its dependencies are ready — the database session factory (the
/// database initialised) and the tool dispatcher (ready at once here). Incident R3. Seed: waits
/// AGENT_SUPERVISOR_STARTUP_WAIT; if the database is not ready by then, the seed fallback is installed for good.
/// Fixed: the fallback (reading every field) covers the gap and the supervisor is created when the database is ready.
/// </summary>
public sealed class SupervisorBootstrap(BackendSettings settings, DatabaseManager database, AgentHandlerSlot slot,
    Func<AgentSupervisor> createSupervisor, Func<IncidentMode, FallbackAgentHandler> createFallback, ILogger logger)
{
    /// <summary>
    /// Completes when startup may count the agent handler as settled: the supervisor created, or (seed) the fallback
    /// installed after the wait. Under fixed it completes only once the supervisor exists.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var clock = Stopwatch.StartNew();
        var wait = settings.AgentSupervisorStartupWait;
        if (await CompletesWithinAsync(database.Initialized, wait, stopping))
        {
            slot.Install(createSupervisor());
            logger.LogInformation("agents: supervisor created ({Elapsed} ms after start)", clock.ElapsedMilliseconds);
            return;
        }
        if (settings.R3AgentSupervisor == IncidentMode.Seed)
        {
            slot.Install(createFallback(IncidentMode.Seed));
            logger.LogInformation(
                "R3: agent supervisor not created: database session factory not ready within AGENT_SUPERVISOR_STARTUP_WAIT {Wait}; fallback handler installed (reads payload.content only)",
                DurationSetting.Format(wait));
            return;
        }
        slot.Install(createFallback(IncidentMode.Fixed));
        logger.LogInformation(
            "R3: database session factory not ready within {Wait}; fixed: fallback handler (reads payload.user_request and content) until the supervisor is created",
            DurationSetting.Format(wait));
        await database.Initialized.WaitAsync(stopping);
        slot.Install(createSupervisor());
        logger.LogInformation("R3: fixed: agent supervisor created once its dependencies were ready ({Elapsed} ms after start)", clock.ElapsedMilliseconds);
    }

    private static async Task<bool> CompletesWithinAsync(Task task, TimeSpan wait, CancellationToken stopping)
    {
        try
        {
            await task.WaitAsync(wait, stopping);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
