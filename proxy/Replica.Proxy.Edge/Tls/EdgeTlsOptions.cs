namespace Replica.Proxy.Edge.Tls;

/// <summary>
/// TLS on the edge proxy's listener: https:// and wss:// for clients, HTTP/2 offered by ALPN next to HTTP/1.1;
/// upstreams stay plain HTTP, as behind a load balancer. By default the certificate is issued at start by the local
/// certificate authority (one per machine, made on first use) for localhost, 127.0.0.1, ::1, the listen address and
/// <see cref="Hosts"/>; give <see cref="CertificateFile"/> and <see cref="KeyFile"/> to serve your own instead.
/// An immutable value.
/// </summary>
public sealed record EdgeTlsOptions
{
    /// <summary>More names (DNS names, wildcards such as *.staging.test, or IP addresses) the issued certificate covers.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>A PEM certificate (the leaf first, then any intermediates) to serve instead of issuing one.</summary>
    public string? CertificateFile { get; init; }

    /// <summary>The PEM private key of <see cref="CertificateFile"/>.</summary>
    public string? KeyFile { get; init; }

    /// <summary>Where the local certificate authority lives; null: <see cref="CertificateAuthority.DefaultDirectory"/>.</summary>
    public string? AuthorityDirectory { get; init; }
}
