namespace Replica.Staging.Common;

/// <summary>The iss and aud of staging's tokens: the auth service writes them, the backend checks them when present.</summary>
public static class StagingTokenClaims
{
    public const string Issuer = "netra-auth-service";
    public const string Audience = "netra-platform";
}
