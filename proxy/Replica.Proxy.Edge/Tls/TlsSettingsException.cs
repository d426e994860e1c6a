namespace Replica.Proxy.Edge.Tls;

/// <summary>
/// A TLS setting cannot be used: a certificate or key file missing or unreadable, a key that does not match, an
/// expired certificate, an unusable host name, a certificate authority directory that cannot be read or written.
/// <see cref="Setting"/> says which one, so that each front end can name it the way its user wrote it
/// (<c>--tls-cert</c>, <c>x-replica.edge.tls.certificate</c>…). Thrown before anything listens.
/// </summary>
public sealed class TlsSettingsException(TlsSetting setting, string message, Exception? inner = null) : Exception(message, inner)
{
    public TlsSetting Setting { get; } = setting;
}
