using System.Text.Json.Serialization;
using Replica.Environments.Json;

namespace Replica.Chaos.Scenarios;

[JsonConverter(typeof(CamelCaseEnumConverter<SymptomKind>))]
public enum SymptomKind
{
    WebSocketClose,
    HttpStatus,
    SilenceAfter,
}
