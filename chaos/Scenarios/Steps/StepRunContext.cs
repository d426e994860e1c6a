using Replica.Chaos.Faults;
using Replica.Chaos.Verification;
using Replica.Environments.Proxied;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>What a step is applied with during one run: the environment, the run's recorder (its timeline), and the run's own doings a step can ask for (undo a named step, start a probe).</summary>
public sealed class StepRunContext(
    ReplicaEnvironment environment,
    RunRecorder recorder,
    Func<string, ValueTask> undoNamed,
    Func<string, Task> startProbe)
{
    public ReplicaEnvironment Environment { get; } = environment;

    public RunRecorder Recorder { get; } = recorder;

    /// <summary>Undoes the earlier step with that name, if it is still in place.</summary>
    public ValueTask UndoAsync(string name) => undoNamed(name);

    /// <summary>
    /// Starts the probe with that name. The task completes once the probe has opened its connection (a WebSocket probe's
    /// handshake answered) or has ended; a step that does not wait for it lets the timeline go on at once.
    /// </summary>
    public Task StartProbe(string name) => startProbe(name);

    /// <summary>A fault's handle whose window shows on the run's timeline from now until it is undone.</summary>
    public FaultHandle Recorded(FaultHandle fault, string label)
    {
        var window = Recorder.Open("faults", label);
        return fault.Then(() => Recorder.Close(window));
    }
}
