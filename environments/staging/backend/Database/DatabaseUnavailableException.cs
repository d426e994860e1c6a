namespace Replica.Staging.Backend.Database;

/// <summary>The database manager cannot hand out its engine (not initialised, or initialisation gave up).</summary>
public sealed class DatabaseUnavailableException(string message) : Exception(message);
