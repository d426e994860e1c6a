using System.Globalization;

namespace Replica.Environments.Compose;

/// <summary>
/// One path of a <see cref="NetworkProfile"/>: its round-trip time, how much a round trip varies (it lands within
/// <c>RoundTrip ± Jitter</c>), and each direction's rate in bytes per second (null: no limit).
/// </summary>
public sealed record NetworkPath(TimeSpan RoundTrip, TimeSpan Jitter, long? BytesPerSecond)
{
    public static NetworkPath Loopback { get; } = new(TimeSpan.Zero, TimeSpan.Zero, null);

    public override string ToString()
    {
        if (this == Loopback)
        {
            return "as it is";
        }
        var text = string.Create(CultureInfo.InvariantCulture, $"rtt {RoundTrip.TotalMilliseconds:0.###} ms");
        if (Jitter > TimeSpan.Zero)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" ± {Jitter.TotalMilliseconds:0.###} ms");
        }
        return BytesPerSecond is { } rate ? text + ", " + Bandwidth.Format(rate) : text;
    }
}
