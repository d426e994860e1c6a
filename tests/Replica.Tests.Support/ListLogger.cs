using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Replica.Tests.Support;

/// <summary>A logger that appends formatted lines (Information and above) to a shared queue.</summary>
public sealed class ListLogger(string category, ConcurrentQueue<string> lines) : ILogger
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
