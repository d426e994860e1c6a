namespace Replica.Staging.Backend.Auth;

public sealed record AuthenticatedUser(string UserId, string? Email, IReadOnlyList<string> Permissions);
