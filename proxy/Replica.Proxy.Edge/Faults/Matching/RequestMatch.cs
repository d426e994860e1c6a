namespace Replica.Proxy.Edge.Faults.Matching;

/// <summary>
/// Which requests a rule applies to; every field that is set must hold. For WebSocket connections the fields are
/// checked against the handshake request.
/// </summary>
public sealed record RequestMatch(
    string? Route = null,
    PathGlob? Path = null,
    string? Method = null,
    IReadOnlyList<HeaderMatch>? Headers = null,
    bool? WebSocket = null)
{
    public static RequestMatch Any { get; } = new();

    internal bool Matches(RequestFacts request)
    {
        // Cheapest checks first: most requests are rejected by one of them, and every request runs this per rule.
        if (WebSocket is { } ws && ws != request.IsWebSocket)
        {
            return false;
        }
        if (Route is not null && !string.Equals(Route, request.Route, StringComparison.Ordinal))
        {
            return false;
        }
        if (Method is not null && !string.Equals(Method, request.Method, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (Path is not null && !Path.IsMatch(request.Path))
        {
            return false;
        }
        if (Headers is not null)
        {
            foreach (var header in Headers)
            {
                if (!request.Headers.TryGetValue(header.Name, out var values))
                {
                    return false;
                }
                if (header.Value is not null && !values.Contains(header.Value))
                {
                    return false;
                }
            }
        }
        return true;
    }

    public bool Equals(RequestMatch? other)
        => other is not null && Route == other.Route && Equals(Path, other.Path) && Method == other.Method && WebSocket == other.WebSocket
           && (Headers ?? []).SequenceEqual(other.Headers ?? []);

    public override int GetHashCode() => HashCode.Combine(Route, Path, Method, WebSocket);
}
