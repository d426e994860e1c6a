using System.Globalization;

namespace Replica.Environments.Runtimes;

/// <summary>A host:port a client connects to.</summary>
public sealed record HostEndpoint(string Host, int Port)
{
    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    public static HostEndpoint Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new FormatException($"expected HOST:PORT, found '{text}'");
        }
        return new HostEndpoint(text[..colon].Trim('[', ']'), port);
    }
}
