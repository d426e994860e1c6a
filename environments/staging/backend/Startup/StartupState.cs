namespace Replica.Staging.Backend.Startup;

/// <summary>
/// Where startup is: in progress, complete, or failed with a reason. A failure is sticky, as in staging: /health keeps
/// answering "Startup failed: ..." until the process restarts.
/// </summary>
public sealed class StartupState(TimeProvider clock)
{
    private volatile string? _failure;
    private volatile bool _complete;

    public DateTimeOffset StartedAt { get; } = clock.GetUtcNow();

    public bool IsComplete => _complete;

    public string? Failure => _failure;

    public void Complete() => _complete = _failure is null;

    public void Fail(string reason) => _failure ??= reason;
}
