namespace Replica.Staging.Backend.Configuration;

/// <summary>Which code path an incident setting selects.</summary>
public enum IncidentMode
{
    /// <summary>The code as staging had it, including the seed's own attempted fix.</summary>
    Seed,

    /// <summary>The working fix.</summary>
    Fixed,
}
