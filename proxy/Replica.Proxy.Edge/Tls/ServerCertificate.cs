using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Replica.Proxy.Edge.Forwarding;

namespace Replica.Proxy.Edge.Tls;

/// <summary>
/// What the edge proxy's TLS listener serves: a leaf certificate with its key and the intermediates to send after it.
/// <see cref="AuthorityCertificatePath"/> is the local authority's ca.crt when the leaf was issued by it, or null when
/// the user brought their own certificate.
/// </summary>
internal sealed record ServerCertificate(X509Certificate2 Leaf, X509Certificate2Collection Chain, string? AuthorityCertificatePath)
{
    /// <exception cref="TlsSettingsException">A setting cannot be used; nothing has been started.</exception>
    public static ServerCertificate Resolve(EdgeTlsOptions options, ListenEndpoint listen)
    {
        if (options.CertificateFile is not null || options.KeyFile is not null)
        {
            return FromFiles(options);
        }
        var authority = CertificateAuthority.OpenOrCreate(options.AuthorityDirectory ?? CertificateAuthority.DefaultDirectory());
        List<string> hosts = ["localhost", "127.0.0.1", "::1"];
        if (!listen.Address.Equals(IPAddress.Any) && !listen.Address.Equals(IPAddress.IPv6Any))
        {
            hosts.Add(listen.Address.ToString());
        }
        hosts.AddRange(options.Hosts);
        return new ServerCertificate(authority.IssueServerCertificate(hosts), [], authority.CertificatePath);
    }

    private static ServerCertificate FromFiles(EdgeTlsOptions options)
    {
        if (options.CertificateFile is null)
        {
            throw new TlsSettingsException(TlsSetting.Certificate, "a key file was given without its certificate: give both, or neither to have the local authority issue one");
        }
        if (options.KeyFile is null)
        {
            throw new TlsSettingsException(TlsSetting.Key, "a certificate file was given without its private key: give both, or neither to have the local authority issue one");
        }
        if (!File.Exists(options.CertificateFile))
        {
            throw new TlsSettingsException(TlsSetting.Certificate, $"{options.CertificateFile}: no such file");
        }
        if (!File.Exists(options.KeyFile))
        {
            throw new TlsSettingsException(TlsSetting.Key, $"{options.KeyFile}: no such file");
        }
        var all = new X509Certificate2Collection();
        try
        {
            all.ImportFromPemFile(options.CertificateFile);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new TlsSettingsException(TlsSetting.Certificate, $"{options.CertificateFile}: not a readable PEM certificate: {e.Message}", e);
        }
        if (all.Count == 0)
        {
            throw new TlsSettingsException(TlsSetting.Certificate, $"{options.CertificateFile}: holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        X509Certificate2 leaf;
        try
        {
            leaf = X509Certificate2.CreateFromPemFile(options.CertificateFile, options.KeyFile);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new TlsSettingsException(TlsSetting.Key,
                $"{options.KeyFile}: not a PEM private key matching the first certificate of {options.CertificateFile} ({e.Message.TrimEnd('.')})", e);
        }
        var now = DateTime.UtcNow;
        if (leaf.NotAfter.ToUniversalTime() < now || leaf.NotBefore.ToUniversalTime() > now)
        {
            throw new TlsSettingsException(TlsSetting.Certificate,
                $"{options.CertificateFile}: the certificate is valid from {leaf.NotBefore:yyyy-MM-dd} to {leaf.NotAfter:yyyy-MM-dd}, not now");
        }
        if (leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } usage
            && !usage.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == "1.3.6.1.5.5.7.3.1"))
        {
            throw new TlsSettingsException(TlsSetting.Certificate, $"{options.CertificateFile}: the certificate is not for TLS servers (no serverAuth extended key usage)");
        }
        var chain = new X509Certificate2Collection();
        foreach (var certificate in all.Skip(1))
        {
            chain.Add(certificate);
        }
        return new ServerCertificate(leaf, chain, null);
    }
}
