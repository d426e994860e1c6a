namespace Replica.Staging.Common;

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

    /// <summary>The shortest secret Microsoft.IdentityModel signs and verifies HS256 with: 256 bits, the hash's size (RFC 7518 §3.2).</summary>
    public const int MinimumSecretBytes = 32;

    /// <summary>Why the configured secret cannot be used (too short for HS256), or null when it can or none is set.</summary>
    public static string? Problem(string environment, Func<string, string?> read) =>
        NameOf(environment, read) is { } name ? CheckSecret(name, read(name)!) : null;

    /// <summary>Null when the secret can sign HS256; otherwise why not, naming the setting it came from.</summary>
    public static string? CheckSecret(string setting, string secret)
    {
        var bytes = System.Text.Encoding.UTF8.GetByteCount(secret);
        return bytes >= MinimumSecretBytes
            ? null
            : $"{setting} is {bytes} bytes long: an HS256 secret must be at least {MinimumSecretBytes} bytes (256 bits)";
    }

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
