namespace Replica.Environments.Compose;

/// <summary>
/// The profiles Replica ships. <c>none</c> leaves loopback as it is (microseconds). <c>staging</c> gives the
/// environment the shape of a cloud staging deployment reached from outside the cloud: clients cross an HTTPS load
/// balancer in a cloud region, services reach Redis and PostgreSQL inside that region. Where the numbers come from is
/// written in README.md ("Network profiles"); they are estimates, and a compose file can declare its own.
/// </summary>
public static class NetworkProfiles
{
    public static NetworkProfile None { get; } = new("none", NetworkPath.Loopback, NetworkPath.Loopback,
        "loopback as it is: no delay, no limit");

    public static NetworkProfile Staging { get; } = new("staging",
        Clients: new NetworkPath(TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(4), 100_000_000 / 8),
        Dependencies: new NetworkPath(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(0.2), null),
        "a cloud region's HTTPS load balancer from outside the cloud; Redis and PostgreSQL in the same region");

    public static IReadOnlyList<NetworkProfile> Shipped { get; } = [None, Staging];
}
