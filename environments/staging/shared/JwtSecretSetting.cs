namespace Replica.Staging.Shared;

/// <summary>
/// Which variable holds the HS256 secret, the same in auth and backend so both sign and check with one secret:
/// JWT_SECRET_STAGING when ENVIRONMENT is staging (falling back to JWT_SECRET_KEY), else JWT_SECRET_KEY. Empty or
/// blank counts as unset; a value is used as written (a secret is not trimmed).
/// </summary>
public static class JwtSecretSetting
{
    public static string? Read(string environment, Func<string, string?> read) =>
        string.Equals(environment, "staging", StringComparison.OrdinalIgnoreCase)
            ? NonBlank(read("JWT_SECRET_STAGING")) ?? NonBlank(read("JWT_SECRET_KEY"))
            : NonBlank(read("JWT_SECRET_KEY"));

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
