using Replica.Chaos.Scenarios;

namespace Replica.Chaos.Probes;

/// <summary>Polls a path until it answers the expected status; the failure is the last answer seen.</summary>
public static class HealthPollProbe
{
    public static async Task<ProbeObservation> RunAsync(HealthPollProbeDefinition probe, ProbeContext context, CancellationToken cancellationToken)
    {
        var started = context.Now;
        var frames = new List<ObservedFrame>();
        var url = new Uri(context.BaseUrl(probe.Target), probe.Path);
        FailureMode? last = null;
        string? lastKey = null;
        var deadline = context.Now + probe.Within;
        while (true)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(TimeSpan.FromSeconds(3));
            try
            {
                using var response = await context.Http.GetAsync(url, attempt.Token);
                var body = await response.Content.ReadAsStringAsync(attempt.Token);
                var status = (int)response.StatusCode;
                if (status == probe.ExpectStatus)
                {
                    frames.Add(new ObservedFrame(context.Now, "in", $"HTTP {status}", body));
                    return new ProbeObservation(probe.Name, started, context.Now, true, null, frames);
                }
                last = new FailureMode(FailureKind.HttpStatus, status, HttpFailures.MessageOf(body));
                Record(frames, ref lastKey, context.Now, $"HTTP {status}", body);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                last = new FailureMode(FailureKind.Timeout, AfterFrames: ["(no answer)"]);
                Record(frames, ref lastKey, context.Now, "no answer", null);
            }
            catch (HttpRequestException ex)
            {
                last = HttpFailures.FromException(ex);
                Record(frames, ref lastKey, context.Now, last.Label, null);
            }
            if (context.Now >= deadline)
            {
                return new ProbeObservation(probe.Name, started, context.Now, false, last, frames,
                    $"no {probe.ExpectStatus} from {probe.Path} within {probe.Within.TotalSeconds:0.#} s");
            }
            await Task.Delay(probe.Interval, cancellationToken);
        }
    }

    /// <summary>Keeps the picture readable: a new frame only when the answer changes.</summary>
    private static void Record(List<ObservedFrame> frames, ref string? lastKey, TimeSpan at, string type, string? body)
    {
        var key = type + "|" + body;
        if (key != lastKey)
        {
            frames.Add(new ObservedFrame(at, "in", type, body));
            lastKey = key;
        }
    }
}
