using System.Text.Json.Serialization;
using Replica.Environments.Json;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>When a probe step counts as done.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<ProbeWait>))]
public enum ProbeWait
{
    /// <summary>As soon as the probe has started (the default): the timeline goes on at once.</summary>
    Started,

    /// <summary>
    /// Once the probe's WebSocket is open (its handshake answered), or the probe has ended without opening: a point that
    /// moves with the server's accept, not with how long the connection took on a loaded machine.
    /// </summary>
    Open,
}
