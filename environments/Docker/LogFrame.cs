using System.Text;

namespace Replica.Environments.Docker;

/// <summary>One frame of a container's output: which stream, and the bytes (not necessarily whole lines).</summary>
public sealed record LogFrame(LogStream Stream, ReadOnlyMemory<byte> Payload)
{
    public string Text => Encoding.UTF8.GetString(Payload.Span);
}
