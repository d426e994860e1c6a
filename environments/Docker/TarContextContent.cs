using System.Net;
using System.Net.Http.Headers;

namespace Replica.Environments.Docker;

/// <summary>A build context as an HTTP body: the tar is written while it is sent, never held in memory whole.</summary>
internal sealed class TarContextContent : HttpContent
{
    private readonly BuildContext _context;

    public TarContextContent(BuildContext context)
    {
        _context = context;
        Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        _context.WriteTarAsync(stream, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        _context.WriteTarAsync(stream, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
