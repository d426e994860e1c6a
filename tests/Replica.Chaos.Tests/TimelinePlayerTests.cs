using Microsoft.Extensions.Time.Testing;
using Replica.Chaos.Faults;
using Replica.Chaos.Scenarios.Steps;
using Replica.Chaos.Verification;
using Replica.Environments.Compose;
using Replica.Tests.Support;

namespace Replica.Chaos.Tests;

/// <summary>
/// The timeline's timing — `at`, `after`, `for` and `remove` — played on a fake clock, in milliseconds of test time.
/// The steps are fakes that only write down, on the run's clock, when they were applied and undone: what is under test
/// is when the player calls them, which no real fault could show to the millisecond.
/// </summary>
public sealed class TimelinePlayerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();
    private readonly RunClock _clock;
    private readonly List<string> _log = [];

    public TimelinePlayerTests()
    {
        _clock = new RunClock(_time);
        _clock.Start();
    }

    /// <summary>A fake step: writes "MS apply LABEL" when applied and "MS undo LABEL" when its handle is disposed.</summary>
    private sealed record RecordingStep(StepTiming Timing, string Label, TimelinePlayerTests Test) : TimelineStep(Timing)
    {
        public override string Describe() => Label;

        public override Task<FaultHandle?> ApplyAsync(StepRunContext context, CancellationToken cancellationToken)
        {
            Test.Write($"apply {Label}");
            return Task.FromResult<FaultHandle?>(new FaultHandle(Label, () =>
            {
                Test.Write($"undo {Label}");
                return ValueTask.CompletedTask;
            }));
        }
    }

    private void Write(string what)
    {
        lock (_log)
        {
            _log.Add($"{_clock.Elapsed.TotalMilliseconds:0} {what}");
        }
    }

    private List<string> Log()
    {
        lock (_log)
        {
            return [.. _log];
        }
    }

    private static readonly SourceLocation Here = new("timeline.yaml", 1, 1);

    private RecordingStep Step(string label, TimeSpan? at = null, int afterMs = 0, int? forMs = null, string? name = null) =>
        new(new StepTiming(name, at, TimeSpan.FromMilliseconds(afterMs), forMs is { } f ? TimeSpan.FromMilliseconds(f) : null, Here), label, this);

    private (TimelinePlayer Player, StepRunContext Context) Player()
    {
        var player = new TimelinePlayer(_clock);
        // No environment: the fake steps touch none.
        return (player, new StepRunContext(null!, new RunRecorder(_clock), player.UndoAsync, _ => Task.CompletedTask));
    }

    /// <summary>Moves the fake clock to <paramref name="ms"/> one millisecond short first, then waits for the log to hold <paramref name="entries"/> lines.</summary>
    private async Task AdvanceToAsync(int ms, int entries)
    {
        var now = (int)_clock.Elapsed.TotalMilliseconds;
        _time.Advance(TimeSpan.FromMilliseconds(ms - 1 - now)); // a step due early would be written down here, at ms - 1
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.WaitAsync(() => Log().Count >= entries, Patience, () => $"{entries} log lines at {ms} ms; have: {string.Join(" | ", Log())}");
    }

    [Fact]
    public async Task After_counts_from_the_previous_step_and_at_from_the_run_start()
    {
        var (player, context) = Player();
        var play = player.PlayAsync([Step("A"), Step("B", afterMs: 300), Step("C", at: TimeSpan.FromSeconds(1)), Step("D", afterMs: 250)], context, CancellationToken.None);

        await Eventually.WaitAsync(() => Log().Count == 1, Patience, "A applied at once");
        await AdvanceToAsync(300, 2);
        await AdvanceToAsync(1000, 3);
        await AdvanceToAsync(1250, 4);
        await play;

        Assert.Equal(["0 apply A", "300 apply B", "1000 apply C", "1250 apply D"], Log());
    }

    [Fact]
    public async Task A_probe_step_with_wait_open_lets_the_next_after_count_from_the_probe_opening()
    {
        var player = new TimelinePlayer(_clock);
        var opened = new TaskCompletionSource();
        var started = new List<string>();
        // The probe is a fake too: what is under test is when the timeline goes on, not the WebSocket.
        var context = new StepRunContext(null!, new RunRecorder(_clock), player.UndoAsync, name =>
        {
            started.Add(name);
            Write($"start {name}");
            return opened.Task;
        });
        var play = player.PlayAsync(
            [new ProbeStep(StepTiming.Next(Here), "first-message", ProbeWait.Open), Step("B", afterMs: 300)], context, CancellationToken.None);

        await Eventually.WaitAsync(() => Log().Count == 1, Patience, "the probe started at once");
        await AdvanceToAsync(400, 1); // 300 ms after the start would be B's time if the probe step did not wait
        Assert.Equal(["0 start first-message"], Log());
        opened.SetResult();
        await AdvanceToAsync(700, 2);
        await play;

        Assert.Equal(["0 start first-message", "700 apply B"], Log());
        Assert.Equal(["first-message"], started);
    }

    [Fact]
    public async Task A_probe_step_without_wait_lets_the_timeline_go_on_at_once()
    {
        var (player, _) = Player();
        var context = new StepRunContext(null!, new RunRecorder(_clock), player.UndoAsync, name =>
        {
            Write($"start {name}");
            return new TaskCompletionSource().Task; // never opens
        });
        var play = player.PlayAsync(
            [new ProbeStep(StepTiming.Next(Here), "first-message", ProbeWait.Started), Step("B", afterMs: 300)], context, CancellationToken.None);

        await AdvanceToAsync(300, 2);
        await play;

        Assert.Equal(["0 start first-message", "300 apply B"], Log());
    }

    [Fact]
    public async Task An_at_already_past_runs_right_after_the_previous_step_never_before_it()
    {
        var (player, context) = Player();
        var play = player.PlayAsync([Step("A", afterMs: 500), Step("B", at: TimeSpan.FromMilliseconds(200))], context, CancellationToken.None);

        await AdvanceToAsync(500, 2);
        await play;

        Assert.Equal(["500 apply A", "500 apply B"], Log());
    }

    [Fact]
    public async Task For_undoes_a_step_that_long_after_it_was_applied_while_the_timeline_goes_on()
    {
        var (player, context) = Player();
        var play = player.PlayAsync([Step("A", afterMs: 100, forMs: 400), Step("B", afterMs: 100)], context, CancellationToken.None);

        await AdvanceToAsync(100, 1);
        await AdvanceToAsync(200, 2);
        await play; // the timeline is done; A's undo is still pending
        var undo = Assert.Single(player.TimedUndos);
        Assert.False(undo.IsCompleted);
        await AdvanceToAsync(500, 3);
        await undo;

        Assert.Equal(["100 apply A", "200 apply B", "500 undo A"], Log());
    }

    [Fact]
    public async Task Remove_undoes_the_named_step_once_and_an_unnamed_step_is_left_in_place()
    {
        var (player, context) = Player();
        var play = player.PlayAsync(
        [
            Step("A", name: "late-db"),
            Step("B"),
            new RemoveStep(new StepTiming(null, null, TimeSpan.FromMilliseconds(800), null, Here), "late-db"),
            new RemoveStep(new StepTiming(null, null, TimeSpan.FromMilliseconds(100), null, Here), "late-db"),
        ], context, CancellationToken.None);

        await Eventually.WaitAsync(() => Log().Count == 2, Patience, "A and B applied at once");
        await AdvanceToAsync(800, 3);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await play;

        Assert.Equal(["0 apply A", "0 apply B", "800 undo A"], Log());
    }

    [Fact]
    public async Task A_pending_timed_undo_ends_quietly_when_the_run_is_cancelled()
    {
        var (player, context) = Player();
        using var run = new CancellationTokenSource();
        await player.PlayAsync([Step("A", forMs: 1000)], context, run.Token);

        await run.CancelAsync();
        await player.TimedUndos[0];

        Assert.Equal(["0 apply A"], Log());
    }
}
