namespace Replica.Chaos.Faults;

/// <summary>
/// A fault in place (a toxic, a dependency taken down, edge-proxy rules, a paused service…): disposing the handle
/// (<c>using</c> or <c>await using</c>) undoes it, once, however many times it is disposed and from whichever thread.
/// The scenario runner, Replica.Testing and anything else that applies a fault hold the same type.
/// </summary>
public sealed class FaultHandle : IDisposable, IAsyncDisposable
{
    private Func<ValueTask>? _undo;

    /// <param name="description">What is in place, e.g. "latency on backend_redis".</param>
    /// <param name="undo">Reverts the fault; called at most once. A fault already gone must not make it throw.</param>
    public FaultHandle(string description, Func<ValueTask> undo)
    {
        Description = description;
        _undo = undo;
    }

    public string Description { get; }

    /// <summary>Whether the fault has been undone (or its undo has started).</summary>
    public bool IsUndone => Volatile.Read(ref _undo) is null;

    /// <summary>The same fault, with <paramref name="after"/> run once it is undone (e.g. to close its window on a timeline).</summary>
    public FaultHandle Then(Action after) => new(Description, async () =>
    {
        await DisposeAsync();
        after();
    });

    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _undo, null)?.Invoke() ?? ValueTask.CompletedTask;

    /// <summary>Undoes the fault and waits for it (an undo that restarts a service blocks until it is started).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public override string ToString() => Description;
}
