using System.Collections.Immutable;
using Replica.Proxy.Tcp.Network.Timing;

namespace Replica.Proxy.Tcp.Toxics;

/// <summary>
/// <c>startup_delay</c> (Replica's own): the dependency is "not ready yet" for <c>delay</c> ms after the latest of the
/// proxy's start (create or re-enable), the toxic's creation or update, and <c>/reset</c>. <c>mode</c> "refuse" (the
/// default): the proxy's port stays bound but not listening, so connects get a real ECONNREFUSED, and connections
/// already open are untouched. "hold": connections are accepted but neither dialled upstream nor given a byte until then.
/// It acts on connections, not on chunks, so it has no stage: <see cref="Proxies.Proxy"/> applies it. Refuse applies to
/// the listener as a whole, so its toxicity only switches it (≤ 0 off); hold draws toxicity per connection.
/// </summary>
internal static class StartupDelayToxic
{
    public const string Refuse = "refuse";
    public const string Hold = "hold";

    public static readonly ToxicKind Kind = new(
        "startup_delay",
        [new("delay", 0L), new("mode", Refuse) { AllowedValues = [Refuse, Hold] }],
        (_, _, _) => null);

    /// <summary>The timestamp until which connections are refused (0 when none are).</summary>
    public static long RefuseUntil(ImmutableArray<Toxic> toxics, long proxyStartedAt, long frequency)
    {
        long until = 0;
        foreach (var toxic in toxics)
        {
            if (toxic.Kind == Kind && toxic.Attributes.GetText("mode") == Refuse && toxic.Toxicity > 0)
            {
                until = Math.Max(until, ReadyAt(toxic, proxyStartedAt, frequency));
            }
        }
        return until;
    }

    public static bool IsHold(Toxic toxic) => toxic.Kind == Kind && toxic.Attributes.GetText("mode") == Hold;

    /// <summary>When the toxic stops delaying, as a timestamp of the proxies' clock (<paramref name="frequency"/> ticks per second).</summary>
    public static long ReadyAt(Toxic toxic, long proxyStartedAt, long frequency) =>
        StopwatchTicks.Add(Math.Max(proxyStartedAt, toxic.ActivatedAt), StopwatchTicks.FromMilliseconds(toxic.Attributes.GetInteger("delay"), frequency));
}
