using Replica.Staging.Common;

namespace Replica.Staging.Auth.Configuration;

/// <summary>The auth service's settings, read once at startup from the environment.</summary>
/// <param name="Environment">ENVIRONMENT: "staging", "production", ...; production refuses the E2E bypass.</param>
/// <param name="JwtSecret">JWT_SECRET_STAGING when the environment is staging, else JWT_SECRET_KEY (<see cref="JwtSecretSetting"/>).</param>
/// <param name="E2EBypassKey">E2E_OAUTH_SIMULATION_KEY: the key test clients send in X-E2E-Bypass-Key.</param>
public sealed record AuthSettings(string Environment, string? JwtSecret, string? E2EBypassKey)
{
    public bool IsProduction => string.Equals(Environment, "production", StringComparison.OrdinalIgnoreCase);

    public static AuthSettings FromEnvironment(Func<string, string?> read)
    {
        var environment = NonEmpty(read("ENVIRONMENT")) ?? "development";
        return new AuthSettings(environment, JwtSecretSetting.Read(environment, read), NonEmpty(read("E2E_OAUTH_SIMULATION_KEY")));
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
