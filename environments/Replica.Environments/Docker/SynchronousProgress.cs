namespace Replica.Environments.Docker;

/// <summary>
/// Hands each value to a callback on the reporting thread, in order: build output lines, pull messages.
/// <see cref="Progress{T}"/> would post them to the thread pool, where lines overtake each other.
/// </summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
