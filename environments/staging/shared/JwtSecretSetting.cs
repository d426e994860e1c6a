namespace Replica.Staging.Shared;

/// <summary>
/// Which variable holds the HS256 secret, the same in auth and backend so both sign and check with one secret:
/// JWT_SECRET_STAGING when ENVIRONMENT is staging (falling back to JWT_SECRET_KEY), else JWT_SECRET_KEY. Empty or
/// blank counts as unset; a value is used as written (a secret is not trimmed).
/// </summary>
public static class JwtSecretSetting
{
    public static string? Read(string environment, Func<string, string?> read) => NameOf(environment, read) is { } name ? NonBlank(read(name)) : null;

    /// <summary>
    /// The variable the secret is read from, or null when none is set; a set secret too short to sign HS256 with is
    /// a problem named by <see cref="Problem"/>.
    /// </summary>
    public static string? NameOf(string environment, Func<string, string?> read)
    {
        if (string.Equals(environment, "staging", StringComparison.OrdinalIgnoreCase) && NonBlank(read("JWT_SECRET_STAGING")) is not null)
        {
            return "JWT_SECRET_STAGING";
        }
        return NonBlank(read("JWT_SECRET_KEY")) is not null ? "JWT_SECRET_KEY" : null;
    }

    /// <summary>Why the configured secret cannot be used (too short for HS256), or null when it can or none is set.</summary>
    public static string? Problem(string environment, Func<string, string?> read) =>
        NameOf(environment, read) is { } name ? Hs256Tokens.CheckSecret(name, read(name)!) : null;

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
