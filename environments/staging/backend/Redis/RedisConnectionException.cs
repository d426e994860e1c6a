namespace Replica.Staging.Backend.Redis;

/// <summary>No connection to the server: never made, lost, or lost while the command waited for its reply.</summary>
public sealed class RedisConnectionException(string message, Exception? inner = null) : Exception(message, inner);
