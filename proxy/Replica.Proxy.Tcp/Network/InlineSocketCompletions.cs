namespace Replica.Proxy.Tcp.Network;

/// <summary>
/// .NET's socket engine on Linux hands every completed socket operation from its epoll thread to the thread pool,
/// unless DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1, which runs the continuation on the epoll thread itself. The
/// runtime reads the variable once, when the process makes its first asynchronous socket call, so a process that is
/// nothing but a proxy (`replica proxy --inline-io`, `replica toxiproxy --inline-io`) sets it for itself before it
/// opens any socket. The gain: no thread-pool wake-up between a socket and the proxy's code — less CPU per request at
/// the edge, and a latency toxic that lands closer to its time. The price: code that blocks in a continuation stalls
/// every socket of that thread, which is why only a proxy's own process turns it on.
/// </summary>
public static class InlineSocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Turns inline completions on for this process, unless the variable says otherwise; true when they are on.</summary>
    public static bool Enable()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
        return Environment.GetEnvironmentVariable(Variable) == "1";
    }
}
