using System.Text.Json.Serialization;
using Replica.Environments.Json;

namespace Replica.Chaos.Scenarios;

[JsonConverter(typeof(CamelCaseEnumConverter<TokenMode>))]
public enum TokenMode
{
    /// <summary>A bearer token fetched as the scenario's `auth:` block says (the default when the scenario has one).</summary>
    Auth,
    /// <summary>No token.</summary>
    None,
}
