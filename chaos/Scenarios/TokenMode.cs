namespace Replica.Chaos.Scenarios;

public enum TokenMode
{
    /// <summary>A bearer token fetched as the scenario's `auth:` block says (the default when the scenario has one).</summary>
    Auth,
    /// <summary>No token.</summary>
    None,
}
