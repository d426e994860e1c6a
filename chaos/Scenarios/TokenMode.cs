namespace Replica.Chaos.Scenarios;

public enum TokenMode
{
    /// <summary>Sign in through the auth service's E2E test endpoint, as staging's tests did.</summary>
    E2e,
    /// <summary>No token.</summary>
    None,
}
