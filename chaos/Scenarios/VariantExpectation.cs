using System.Text.Json.Serialization;
using Replica.Environments.Json;

namespace Replica.Chaos.Scenarios;

[JsonConverter(typeof(CamelCaseEnumConverter<VariantExpectation>))]
public enum VariantExpectation
{
    /// <summary>The variant is expected to fail the way staging failed (the seed code, a fix that did not work).</summary>
    Symptom,
    /// <summary>The variant is expected to pass every run (a fix).</summary>
    Pass,
}
