namespace Replica.Staging.Backend.Redis;

/// <summary>The server answered a command with an error reply ("-ERR ..."); the connection stays usable.</summary>
public sealed class RedisServerException(string message) : Exception(message);
