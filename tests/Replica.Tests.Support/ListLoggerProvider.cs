using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Replica.Tests.Support;

/// <summary>A real logger provider that keeps every formatted line, so tests can read the proxy's fault log.</summary>
public sealed class ListLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new ListLogger(categoryName, Lines);

    public void Dispose()
    {
    }
}
