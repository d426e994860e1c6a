namespace Replica.Testing;

/// <summary>A fault in place; disposing it removes the fault (a toxic, a rule, an edge taken down).</summary>
public sealed class FaultHandle : IDisposable
{
    private Action? _undo;

    internal FaultHandle(string description, Action undo)
    {
        Description = description;
        _undo = undo;
    }

    public string Description { get; }

    public void Dispose() => Interlocked.Exchange(ref _undo, null)?.Invoke();

    public override string ToString() => Description;
}
