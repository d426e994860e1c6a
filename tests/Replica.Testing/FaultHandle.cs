namespace Replica.Testing;

/// <summary>A fault in place; disposing it (<c>using</c> or <c>await using</c>) removes the fault (a toxic, a rule, an edge taken down), once.</summary>
public sealed class FaultHandle : IDisposable, IAsyncDisposable
{
    private Action? _undo;

    internal FaultHandle(string description, Action undo)
    {
        Description = description;
        _undo = undo;
    }

    public string Description { get; }

    public void Dispose() => Interlocked.Exchange(ref _undo, null)?.Invoke();

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public override string ToString() => Description;
}
