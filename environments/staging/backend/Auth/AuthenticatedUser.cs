namespace Replica.Staging.Backend.Auth;

/// <param name="ExpiresAt">The token's exp: a WebSocket opened with it is closed 1008 once it passes.</param>
public sealed record AuthenticatedUser(string UserId, string? Email, IReadOnlyList<string> Permissions, DateTimeOffset? ExpiresAt = null);
