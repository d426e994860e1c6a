using Replica.Proxy.Tcp.Network.Timing;

namespace Replica.Proxy.Tcp.Links;

/// <summary>
/// One step of a link's pipeline: a toxic acting on the chunks of one direction of one connection, or the final
/// socket writer. A stage is built for one version of the proxy's toxics; when they change it is interrupted (every
/// wait ends at once so held data flows on), drained and replaced.
/// </summary>
internal abstract class ToxicStage
{
    /// <summary>The stage's only wait; interrupting the stage ends it.</summary>
    protected ScheduledWait Wait { get; } = new();

    /// <summary>
    /// Whether this stage reckons from when a chunk arrived (<see cref="Chunk.Timestamp"/>): while one does, the link
    /// reads with the kernel's receive stamps.
    /// </summary>
    public virtual bool TimesFromArrival => false;

    /// <summary>Where this stage passes chunks on; set when the chain is assembled, null only for the writer.</summary>
    public ToxicStage Next { get; set; } = null!;

    /// <summary>Takes the chunk: passes it on, queues it, or drops it (releasing it). Completing means "ready for the next".</summary>
    public abstract ValueTask WriteAsync(Chunk chunk);

    /// <summary>
    /// The source ended. Returns false when interrupted before the end was passed on (slow_close waiting): the link then
    /// sends the end again through the rebuilt chain.
    /// </summary>
    public virtual ValueTask<bool> EndAsync() => Next.EndAsync();

    /// <summary>Called once the chain is assembled, before the first chunk (timers start here).</summary>
    public virtual void Start()
    {
    }

    /// <summary>Passes on every chunk this stage still holds; called after <see cref="Interrupt"/>.</summary>
    public virtual ValueTask DrainAsync() => ValueTask.CompletedTask;

    /// <summary>Releases timers; the stage is never used again.</summary>
    public virtual void Stop()
    {
    }

    public void Interrupt() => Wait.Interrupt();
}
