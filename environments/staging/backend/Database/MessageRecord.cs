namespace Replica.Staging.Backend.Database;

public sealed record MessageRecord(string Id, string ThreadId, string Role, string Content, string? RunId, DateTime CreatedAt);
