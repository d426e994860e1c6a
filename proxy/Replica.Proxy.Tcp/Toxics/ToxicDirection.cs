namespace Replica.Proxy.Tcp.Toxics;

/// <summary>Which byte stream of a connection a toxic acts on.</summary>
public enum ToxicDirection
{
    /// <summary>client → proxy → upstream server (requests).</summary>
    Upstream,

    /// <summary>upstream server → proxy → client (responses); the default.</summary>
    Downstream,
}
