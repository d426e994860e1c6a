using Replica.Environments.Hosting;
using Replica.Testing;
using Replica.Tests.Support;

namespace Replica.Testing.Tests.Examples;

/// <summary>A step undone after a while (`for:`) is finished when its run ends, so it never overlaps the next run.</summary>
[Collection(StagingCollection.Name)]
public sealed class TimedUndoExamples(StagingEnvironment staging) : IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_run_ends_only_once_a_service_stopped_for_a_while_is_back()
    {
        // auth is started again 200 ms after it stopped; the probe ends 100 ms later, while auth is still starting.
        var file = _dir.Write("undo.yaml", ScenarioFiles.Scratch(
            timeline: """
                  - stop: auth
                    for: 200ms
                  - after: 300ms
                    probe: live
                """,
            probes: """
                  - name: live
                    via: edge
                    health: { path: /health, status: 200, within: 3s }
                """));

        var run = await ScenarioRuns.RunAsync(staging.Environment, file, "fixed");

        Assert.True(run.Error is null, run.Error);
        Assert.Equal(ServiceStatus.Healthy, staging.Environment["auth"].Status);
    }
}
