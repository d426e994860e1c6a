using System.Text.Json.Serialization;
using Replica.Environments.Json;

namespace Replica.Chaos.Verification;

[JsonConverter(typeof(CamelCaseEnumConverter<Verdict>))]
public enum Verdict
{
    /// <summary>The staging symptom appeared (the rate and its 95 % interval say how reliably).</summary>
    Reproduced,
    /// <summary>The symptom appeared, in fewer runs than the required minimum rate (verify --min-rate).</summary>
    TooRare,
    /// <summary>The symptom never appeared.</summary>
    NotReproduced,
    /// <summary>Every run passed; the report states the 95 % upper bound of the failure rate.</summary>
    Fixed,
    /// <summary>At least one run failed.</summary>
    NotFixed,
    /// <summary>Runs could not be carried out, so neither can be said.</summary>
    Inconclusive,
}
