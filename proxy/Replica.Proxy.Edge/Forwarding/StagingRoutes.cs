namespace Replica.Proxy.Edge.Forwarding;

/// <summary>The reference staging topology's front door: <c>/auth/**</c> to auth, everything else (HTTP and WebSocket) to backend.</summary>
public static class StagingRoutes
{
    public const string Auth = "auth";
    public const string Backend = "backend";

    public static IReadOnlyList<EdgeRoute> Create(Uri auth, Uri backend) =>
    [
        new EdgeRoute(Auth, "/auth/{**rest}", auth),
        new EdgeRoute(Backend, "/{**rest}", backend),
    ];
}
