namespace Replica.Proxy.Edge.Forwarding;

/// <summary>How the proxy forwards: Replica's tuning for a proxy on a few cores, or YARP's defaults as they come.</summary>
public enum ForwardingProfile
{
    /// <summary>
    /// The upstream HttpClient speaks HTTP/1.1 straight away (the upstreams are plain HTTP), without the diagnostics
    /// handler that propagates trace headers, and keeps idle upstream connections for 5 minutes instead of 1.
    /// <see cref="EdgeProxyOptions.InlineIo"/> (`replica proxy --inline-io`) adds Kestrel's inline scheduling with the
    /// socket engine's inline completions: less CPU per request in some runs, none in others, and a longer tail in most;
    /// either one alone measured no lower CPU.
    /// </summary>
    Tuned,

    /// <summary>YARP's and Kestrel's defaults, as a bare YARP app has them: the baseline Tuned is measured against.</summary>
    YarpDefaults,
}
