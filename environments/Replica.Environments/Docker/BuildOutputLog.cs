using Microsoft.Extensions.Logging;

namespace Replica.Environments.Docker;

/// <summary>
/// The logger an image build gets: Testcontainers logs each line of the engine's build output at Debug
/// (<c>{Stream}</c>) and each error the engine reports (<c>ID={ID}: {Error}</c>). Lines go to the progress callback as
/// they come; the last ones and the errors are kept for the message of a failed build. Everything else Testcontainers
/// logs is left out.
/// </summary>
internal sealed class BuildOutputLog(IProgress<string>? progress) : ILogger
{
    private const int KeptLines = 15;
    private readonly Queue<string> _lastLines = new();
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> LastLines
    {
        get
        {
            lock (_lastLines)
            {
                return [.. _lastLines];
            }
        }
    }

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_lastLines)
            {
                return [.. _errors];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            return;
        }
        var format = values.FirstOrDefault(v => v.Key == "{OriginalFormat}").Value as string;
        if (format == "{Stream}" && values.FirstOrDefault(v => v.Key == "Stream").Value is string text)
        {
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                lock (_lastLines)
                {
                    _lastLines.Enqueue(line);
                    while (_lastLines.Count > KeptLines)
                    {
                        _lastLines.Dequeue();
                    }
                }
                progress?.Report(line);
            }
        }
        else if (logLevel >= LogLevel.Error && values.FirstOrDefault(v => v.Key == "Error").Value is string error)
        {
            lock (_lastLines)
            {
                _errors.Add(error.Trim());
            }
        }
    }
}
