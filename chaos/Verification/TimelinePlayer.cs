using Replica.Chaos.Faults;
using Replica.Chaos.Scenarios.Steps;

namespace Replica.Chaos.Verification;

/// <summary>
/// Plays a timeline on a run's clock: each step at its <c>at</c> (never before the previous step finished) or
/// <c>after</c> the previous one, applied and its undo kept — for a later <c>remove</c> when it is named, or run
/// <c>for</c> after it was applied. Time comes from the clock's <see cref="TimeProvider"/>, so tests play timelines on
/// a fake one in milliseconds of test time.
/// </summary>
public sealed class TimelinePlayer(RunClock clock)
{
    private readonly Dictionary<string, FaultHandle> _named = [];
    private readonly List<Task> _timedUndos = [];

    /// <summary>The timed (<c>for</c>) undos under way; the run awaits them before it ends, so none overlaps the next run.</summary>
    public IReadOnlyList<Task> TimedUndos => _timedUndos;

    /// <summary>Undoes the named step if it is still in place (a `remove` step).</summary>
    public ValueTask UndoAsync(string name) => _named.Remove(name, out var fault) ? fault.DisposeAsync() : ValueTask.CompletedTask;

    public async Task PlayAsync(IReadOnlyList<TimelineStep> steps, StepRunContext context, CancellationToken cancellationToken)
    {
        var previousEnd = TimeSpan.Zero;
        foreach (var step in steps)
        {
            var due = step.At is { } at ? Max(at, previousEnd) : previousEnd + step.After;
            await clock.DelayUntilAsync(due, cancellationToken);
            var undo = await step.ApplyAsync(context, cancellationToken);
            if (undo is not null)
            {
                if (step.For is { } duration)
                {
                    _timedUndos.Add(UndoLaterAsync(undo, clock.Elapsed + duration, cancellationToken));
                }
                else if (step.Name is { } name)
                {
                    _named[name] = undo;
                }
            }
            previousEnd = clock.Elapsed;
        }
    }

    private async Task UndoLaterAsync(FaultHandle undo, TimeSpan due, CancellationToken cancellationToken)
    {
        try
        {
            await clock.DelayUntilAsync(due, cancellationToken);
            await undo.DisposeAsync();
        }
        catch (OperationCanceledException)
        {
            // The run ended first: the next run's restore clears every fault anyway.
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
