using Replica.Chaos.Scenarios.Steps;
using Replica.Environments.Compose;
using Replica.Environments.Errors;
using Replica.Environments.Hosting;

namespace Replica.Cli.Control;

/// <summary>
/// A lifecycle verb on a running service (`replica restart|stop|start|kill|pause|resume`, the dashboard's buttons):
/// the scenario step of the same name, so the semantics, the health gating and the impossible cases are the steps'
/// own. A pause lasts until `resume` (no <c>for:</c> here).
/// </summary>
internal static class ServiceVerb
{
    public static readonly IReadOnlyList<string> Names = ["restart", "stop", "start", "kill", "pause", "resume"];

    /// <summary>The step for <paramref name="verb"/> on <paramref name="service"/>; <paramref name="wait"/> applies to start and restart.</summary>
    public static ServiceStep Step(string verb, string service, ServiceWait wait)
    {
        var timing = StepTiming.Next(new SourceLocation("replica " + verb, 1, 1));
        return verb switch
        {
            "restart" => new RestartStep(timing, service, wait),
            "start" => new StartStep(timing, service, wait),
            "stop" => new StopStep(timing, service),
            "kill" => new KillStep(timing, service),
            "pause" => new PauseStep(timing, service),
            "resume" => new ResumeStep(timing, service),
            _ => throw new ReplicaException($"unknown verb '{verb}': expected one of {string.Join(", ", Names)}", ReplicaErrorKind.BadInput),
        };
    }

    public static ServiceWait ParseWait(string? text) => text switch
    {
        null or "" or "healthy" => ServiceWait.Healthy,
        "listening" => ServiceWait.Listening,
        "started" => ServiceWait.Started,
        _ => throw new ReplicaException($"--wait {text}: expected healthy, listening or started", ReplicaErrorKind.BadInput),
    };

    /// <summary>The service's state as the steps see it.</summary>
    public static ServiceState StateOf(RunningService service) => service.Status switch
    {
        ServiceStatus.Paused => ServiceState.Paused,
        ServiceStatus.Stopped or ServiceStatus.Exited or ServiceStatus.Pending => ServiceState.Stopped,
        _ => ServiceState.Running,
    };

    /// <summary>Why the verb cannot run on the service now, as a whole sentence; null when it can.</summary>
    public static string? Refusal(ServiceStep step, RunningService service)
    {
        var impossible = step.Impossible(StateOf(service));
        return impossible is null ? null : $"`{step.Describe()}` cannot run now: it {TrimThen(impossible)}";
    }

    private static string TrimThen(string text) => text.Replace(" then", "", StringComparison.Ordinal);
}
