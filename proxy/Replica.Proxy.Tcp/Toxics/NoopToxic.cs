using Replica.Proxy.Tcp.Links;

namespace Replica.Proxy.Tcp.Toxics;

/// <summary><c>noop</c>: passes every chunk unchanged. Creatable through the API, as in Toxiproxy.</summary>
internal sealed class NoopToxic : ToxicStage
{
    public static readonly ToxicKind Kind = new("noop", [], (_, _, _) => new NoopToxic());

    public override ValueTask WriteAsync(Chunk chunk) => Next.WriteAsync(chunk);
}
