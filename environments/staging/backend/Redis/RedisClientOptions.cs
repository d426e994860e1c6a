namespace Replica.Staging.Backend.Redis;

/// <summary>How a <see cref="RedisClient"/> connects and reconnects.</summary>
/// <param name="ConnectTimeout">For one attempt: TCP connect, AUTH/SELECT and the PING that proves the server answers.</param>
/// <param name="ReconnectBackoff">Wait after the first failed attempt; doubled after each further failure…</param>
/// <param name="ReconnectBackoffMax">…up to this.</param>
public sealed record RedisClientOptions(RedisEndpoint Endpoint, TimeSpan ConnectTimeout, TimeSpan ReconnectBackoff, TimeSpan ReconnectBackoffMax);
