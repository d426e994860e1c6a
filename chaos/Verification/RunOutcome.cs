using System.Text.Json.Serialization;
using Replica.Environments.Json;

namespace Replica.Chaos.Verification;

[JsonConverter(typeof(CamelCaseEnumConverter<RunOutcome>))]
public enum RunOutcome
{
    /// <summary>Every probe saw what it expected.</summary>
    Passed,
    /// <summary>A probe failed the way staging failed (the scenario's symptom).</summary>
    Symptom,
    /// <summary>A probe failed some other way.</summary>
    OtherFailure,
    /// <summary>The run could not be carried out (the environment would not restart, a fault could not be applied).</summary>
    Error,
}
