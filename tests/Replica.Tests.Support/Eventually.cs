using System.Diagnostics;

namespace Replica.Tests.Support;

/// <summary>Waits for a condition with a deadline instead of sleeping: fails with what was last seen.</summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultPoll = TimeSpan.FromMilliseconds(25);

    public static Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what, TimeSpan? poll = null) =>
        WaitAsync(() => Task.FromResult(condition()), timeout, what, poll);

    /// <summary>
    /// As <see cref="WaitAsync(Func{bool}, TimeSpan, string, TimeSpan?)"/>, with the description made when the wait
    /// gives up — so it can show the state at that moment (a log's last lines), not the state when it began.
    /// </summary>
    public static Task WaitAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe, TimeSpan? poll = null) =>
        WaitAsync(() => Task.FromResult(condition()), done => done, timeout, describe, poll, reportLast: false);

    public static Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? poll = null) =>
        WaitAsync(condition, done => done, timeout, () => what, poll, reportLast: false);

    /// <summary>
    /// Calls <paramref name="sample"/> until <paramref name="done"/> accepts its value and returns that value; the
    /// timeout names the last value seen.
    /// </summary>
    public static Task<T> WaitAsync<T>(Func<Task<T>> sample, Func<T, bool> done, TimeSpan timeout, string what, TimeSpan? poll = null) =>
        WaitAsync(sample, done, timeout, () => what, poll, reportLast: true);

    private static async Task<T> WaitAsync<T>(Func<Task<T>> sample, Func<T, bool> done, TimeSpan timeout, Func<string> describe, TimeSpan? poll, bool reportLast)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var value = await sample();
            if (done(value))
            {
                return value;
            }
            if (watch.Elapsed > timeout)
            {
                var last = reportLast ? $"; last value: {value}" : "";
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#} s waiting for {describe()}{last}");
            }
            await Task.Delay(poll ?? DefaultPoll);
        }
    }
}
