using Microsoft.AspNetCore.Http;

namespace Replica.Proxy.Edge.Faults.Matching;

/// <summary>What rules match a request (or a WebSocket connection, captured at its handshake) against.</summary>
internal sealed record RequestFacts(string Route, string Path, string Method, IHeaderDictionary Headers, bool IsWebSocket);
