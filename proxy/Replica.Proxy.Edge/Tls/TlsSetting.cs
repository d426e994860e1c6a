namespace Replica.Proxy.Edge.Tls;

/// <summary>The TLS settings of the edge proxy, as <see cref="EdgeTlsOptions"/> names them.</summary>
public enum TlsSetting
{
    /// <summary><see cref="EdgeTlsOptions.CertificateFile"/>.</summary>
    Certificate,

    /// <summary><see cref="EdgeTlsOptions.KeyFile"/>.</summary>
    Key,

    /// <summary><see cref="EdgeTlsOptions.Hosts"/>.</summary>
    Hosts,

    /// <summary><see cref="EdgeTlsOptions.AuthorityDirectory"/>: the local certificate authority.</summary>
    Authority,
}
