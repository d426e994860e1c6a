using System.Globalization;

namespace Replica.Proxy.Tcp.Network;

/// <summary>
/// The shape of one network path: how long a round trip takes, how much it varies, and how fast bytes flow. Applied
/// to every byte crossing the path, so a TCP connect, a TLS handshake, an HTTP request and a WebSocket frame all pay
/// it the way they would on the real path. An immutable value.
/// </summary>
/// <param name="RoundTrip">Time for a byte to go and an answer to come back, before any processing (half each way).</param>
/// <param name="Jitter">
/// How much a round trip varies: each direction draws its one-way delay uniformly within ±<c>Jitter/2</c> of
/// <c>RoundTrip/2</c>, so a round trip lands within <c>RoundTrip ± Jitter</c>. Bytes are never reordered.
/// </param>
/// <param name="BytesPerSecond">Each direction's rate, or null for no limit.</param>
public sealed record LinkShape(TimeSpan RoundTrip, TimeSpan Jitter = default, long? BytesPerSecond = null)
{
    /// <summary>The longest round trip a shape may have: longer would only look like a broken connection.</summary>
    public static readonly TimeSpan MaxRoundTrip = TimeSpan.FromSeconds(10);

    /// <summary>No delay and no limit: a path left as it is.</summary>
    public static LinkShape None { get; } = new(TimeSpan.Zero);

    /// <summary>True when the shape changes nothing (no delay, no limit): the path is left unwrapped.</summary>
    public bool IsNone => RoundTrip == TimeSpan.Zero && Jitter == TimeSpan.Zero && BytesPerSecond is null;

    /// <summary>What is wrong with the shape, each as "field: problem"; empty when it can be used.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (RoundTrip < TimeSpan.Zero || RoundTrip > MaxRoundTrip)
        {
            errors.Add($"rtt: must be from 0 to {MaxRoundTrip.TotalSeconds:0} s");
        }
        if (Jitter < TimeSpan.Zero || Jitter > RoundTrip)
        {
            errors.Add("jitter: must be from 0 to the rtt (a round trip cannot take less than no time)");
        }
        if (BytesPerSecond is <= 0)
        {
            errors.Add("bandwidth: must be positive (leave it out for no limit)");
        }
        return errors;
    }

    public override string ToString()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"rtt {RoundTrip.TotalMilliseconds:0.###} ms");
        if (Jitter > TimeSpan.Zero)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" ± {Jitter.TotalMilliseconds:0.###} ms");
        }
        if (BytesPerSecond is { } rate)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", {rate * 8 / 1e6:0.###} Mbit/s");
        }
        return text;
    }
}
