using Replica.Environments.Hosting;

namespace Replica.Chaos.Verification;

/// <summary>Collects a run's timeline events on the run's clock, from any thread.</summary>
public sealed class RunRecorder
{
    private readonly List<TimelineEvent> _events = [];
    private readonly Dictionary<int, int> _open = [];
    private int _nextWindow;

    public RunRecorder(RunClock clock) => Clock = clock;

    public RunClock Clock { get; }

    public void Point(string lane, string kind, string label)
    {
        lock (_events)
        {
            _events.Add(new TimelineEvent(Clock.Elapsed, null, lane, kind, label));
        }
    }

    /// <summary>Opens a window (a fault that is on); returns a handle to close it with.</summary>
    public int Open(string lane, string label)
    {
        lock (_events)
        {
            _events.Add(new TimelineEvent(Clock.Elapsed, null, lane, "fault", label));
            _open[_nextWindow] = _events.Count - 1;
            return _nextWindow++;
        }
    }

    public void Close(int window)
    {
        lock (_events)
        {
            if (_open.Remove(window, out var index))
            {
                _events[index] = _events[index] with { Until = Clock.Elapsed };
            }
        }
    }

    public void Service(EnvironmentEvent e)
    {
        // Starting and stopping are the verbs' own steps, already on the picture; what the service did is what counts.
        if (e.Service is null || e.Kind is EnvironmentEventKind.Progress or EnvironmentEventKind.Starting or EnvironmentEventKind.Stopping)
        {
            return;
        }
        Point(e.Service, "service", e.Kind.ToString().ToLowerInvariant() + (e.Kind == EnvironmentEventKind.Exited || e.Kind == EnvironmentEventKind.Unhealthy ? ": " + e.Message : ""));
    }

    public IReadOnlyList<TimelineEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }
}
