using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Replica.Tests.EdgeProxy.Support;

/// <summary>A real logger provider that keeps every formatted line, so tests can read the proxy's fault log.</summary>
public sealed class ListLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new ListLogger(categoryName, Lines);

    public void Dispose()
    {
    }

    private sealed class ListLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue($"{category}: {formatter(state, exception)}");
            }
        }
    }
}
