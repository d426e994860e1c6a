using System.Globalization;

namespace Replica.Staging.Backend.Protocol;

/// <summary>The two timestamp forms staging's messages carry: unix seconds as a float, and ISO 8601.</summary>
public static class ProtocolTime
{
    public static double Unix(TimeProvider clock) => clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    public static string Iso(TimeProvider clock) => clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);
}
