using System.Text.Json.Serialization;
using Replica.Environments.Json;

namespace Replica.Chaos.Sweeps;

/// <summary>What a swept value is, as the scenario path expects it: a duration (held in milliseconds) or a number.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<SweepValueKind>))]
public enum SweepValueKind
{
    /// <summary>A duration such as <c>after: 900ms</c> or <c>REDIS_READY_TIMEOUT: 60s</c>; values are milliseconds.</summary>
    Duration,

    /// <summary>A number such as a toxic's <c>delay</c> attribute or <c>REDIS_READY_RETRIES</c>.</summary>
    Number,
}
