namespace Replica.Environments.Runtimes.Docker;

/// <summary>
/// Hands each line to a callback on the reporting thread, in order (Progress&lt;T&gt; would post them to the thread
/// pool, where build output lines overtake each other).
/// </summary>
public sealed class ProgressLines(Action<string> report) : IProgress<string>
{
    public void Report(string value) => report(value);
}
