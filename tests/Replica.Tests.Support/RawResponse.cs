using System.Net;

namespace Replica.Tests.Support;

public sealed record RawResponse(HttpStatusCode Status, string Body, string? ContentType, string? RequestId)
{
    public int Code => (int)Status;
}
