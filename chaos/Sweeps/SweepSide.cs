using System.Text.Json.Serialization;
using Replica.Environments.Json;

namespace Replica.Chaos.Sweeps;

/// <summary>Where a cell's failure rate stands against 50 %, by its 95 % interval.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<SweepSide>))]
public enum SweepSide
{
    /// <summary>The interval lies below 50 %.</summary>
    Below,

    /// <summary>The interval lies above 50 %.</summary>
    Above,

    /// <summary>The interval contains 50 %: more runs, or a value nearer the boundary, would tell.</summary>
    Unsure,
}
