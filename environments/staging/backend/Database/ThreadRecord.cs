namespace Replica.Staging.Backend.Database;

public sealed record ThreadRecord(string Id, string Title, DateTime CreatedAt, DateTime UpdatedAt);
