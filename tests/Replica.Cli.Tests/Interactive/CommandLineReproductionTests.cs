using Replica.Tests.Support;

namespace Replica.Cli.Tests.Interactive;

/// <summary>
/// R2 and R3 replayed by hand from the command line alone, on a detached environment: a dependency made late with a
/// toxic, the backend restarted, one probe of the scenario — the staging symptom under the seed code, a pass once
/// `replica set` switches the backend to the fix. For R2 the toxic holds Redis off for a minute: the seed code gives up
/// after its retries (5 × 100 ms) whatever the machine's speed; the fixed code waits, and Redis comes back (`replica
/// toxic rm`) once the backend has logged that it is waiting — the probe's 5 s frame timeout then still holds. R3's
/// restart waits for health, which waits for PostgreSQL, so the probe always starts after the toxic has ended.
/// </summary>
public sealed class CommandLineReproductionTests(DetachedEnvironment environment) : IClassFixture<DetachedEnvironment>
{
    [Fact]
    public async Task R2_toxic_restart_probe_closes_1011_under_seed_and_passes_once_set_to_fixed()
    {
        var variant = await environment.RunAsync("set", "--variant", "r2:baseline");
        Assert.True(variant.ExitCode == 0, variant.ToString());
        Assert.Contains("R2_WEBSOCKET_READINESS=seed", variant.StandardOutput);
        Assert.Contains("restarted, healthy", variant.StandardOutput);

        var seed = await ReplayAsync("backend_redis", delayMs: 60000, "r2");
        Assert.True(seed.ExitCode == 1, seed.ToString());
        Assert.Contains("close 1011 \"Service not ready: redis\"", seed.StandardOutput);
        Assert.Contains("Symptom:", seed.StandardOutput);

        var set = await environment.RunAsync("set", "backend", "R2_WEBSOCKET_READINESS=fixed");
        Assert.True(set.ExitCode == 0, set.ToString());
        var status = await environment.StatusAsync();
        Assert.Equal("fixed", status.GetProperty("settings").GetProperty("backend").GetProperty("R2_WEBSOCKET_READINESS").GetString());

        // The same steps, with Redis back while the probe waits on it (as the scenario's `remove` step does).
        var log = Path.Combine(environment.Store.LogDirectoryOf(DetachedEnvironment.Name), "backend.log");
        var fixedRun = await ReplayAsync("backend_redis", delayMs: 60000, "r2", whileProbing: async () =>
        {
            var from = new FileInfo(log).Length;
            await Eventually.WaitAsync(() => ReadFrom(log, from).Contains("fixed: waiting up to REDIS_READY_TIMEOUT", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30), "the fixed backend to log that it waits for Redis");
            var removed = await environment.RunAsync("toxic", "rm", "backend_redis", "late");
            Assert.True(removed.ExitCode == 0, removed.ToString());
        });
        Assert.True(fixedRun.ExitCode == 0, fixedRun.ToString());
        Assert.Contains("agent_completed", fixedRun.StandardOutput);
        Assert.Contains("Passed.", fixedRun.StandardOutput);
    }

    [Fact]
    public async Task R3_toxic_restart_probe_is_silent_after_system_message_and_ping_under_seed_and_passes_once_fixed()
    {
        var variant = await environment.RunAsync("set", "--variant", "r3:baseline");
        Assert.True(variant.ExitCode == 0, variant.ToString());

        // The restart waits for health, and health (R1 fixed) waits for PostgreSQL: the toxic has ended when the probe starts.
        var seed = await ReplayAsync("backend_postgres", delayMs: 4000, "r3");
        Assert.True(seed.ExitCode == 1, seed.ToString());
        Assert.Contains("timeout after [system_message, ping]", seed.StandardOutput);
        Assert.Contains("Symptom:", seed.StandardOutput);

        var set = await environment.RunAsync("set", "backend", "R3_AGENT_SUPERVISOR=fixed");
        Assert.True(set.ExitCode == 0, set.ToString());
        var fixedRun = await ReplayAsync("backend_postgres", delayMs: 4000, "r3");
        Assert.True(fixedRun.ExitCode == 0, fixedRun.ToString());
        Assert.Contains("Passed.", fixedRun.StandardOutput);
    }

    /// <summary>`toxic add DEPENDENCY -t startup_delay`, `restart backend`, `probe SCENARIO` (with <paramref name="whileProbing"/> alongside); the toxic removed after.</summary>
    private async Task<CliResult> ReplayAsync(string dependency, int delayMs, string scenario, Func<Task>? whileProbing = null)
    {
        var toxic = await environment.RunAsync("toxic", "add", dependency, "-t", "startup_delay", "-a", $"delay={delayMs}", "-a", "mode=refuse", "-n", "late");
        Assert.True(toxic.ExitCode == 0, toxic.ToString());
        try
        {
            var restart = await environment.RunAsync("restart", "backend");
            Assert.True(restart.ExitCode == 0, restart.ToString());
            Assert.Contains("backend: restart done", restart.StandardOutput);
            var probe = environment.RunAsync("probe", scenario);
            if (whileProbing is not null)
            {
                await whileProbing();
            }
            return await probe;
        }
        finally
        {
            await environment.RunAsync("toxic", "rm", dependency, "late");
        }
    }

    private static string ReadFrom(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        return new StreamReader(stream).ReadToEnd();
    }
}
