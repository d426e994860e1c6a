namespace Replica.Environments.Tests.Docker;

/// <summary>Collects reported lines in order (Progress&lt;T&gt; would post them to the thread pool, out of order).</summary>
public sealed class ListProgress(List<string> lines) : IProgress<string>
{
    public void Report(string value) => lines.Add(value);
}
