using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Replica.Proxy.Edge.Tls;

/// <summary>
/// The machine's local certificate authority: an ECDSA P-256 root made once with System.Security.Cryptography (no
/// openssl needed) and kept in a directory as <c>ca.crt</c> (what clients trust) and <c>ca.key</c> (readable by its
/// owner only). The edge proxy asks it for a fresh leaf certificate at every start. Making it is atomic: two processes
/// racing to create it end up with the same one.
/// </summary>
public sealed class CertificateAuthority
{
    public const string CertificateFileName = "ca.crt";
    public const string KeyFileName = "ca.key";

    private static readonly TimeSpan AuthorityLifetime = TimeSpan.FromDays(3650);
    private static readonly TimeSpan LeafLifetime = TimeSpan.FromDays(30);
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    private readonly X509Certificate2 _signer;

    private CertificateAuthority(string directory, X509Certificate2 signer)
    {
        Directory = directory;
        _signer = signer;
        Certificate = X509CertificateLoader.LoadCertificate(signer.RawData);
    }

    /// <summary>The directory holding ca.crt and ca.key.</summary>
    public string Directory { get; }

    /// <summary>The PEM file clients trust (SSL_CERT_FILE, NODE_EXTRA_CA_CERTS, a custom trust store…).</summary>
    public string CertificatePath => Path.Combine(Directory, CertificateFileName);

    /// <summary>The authority's certificate, without its key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// $REPLICA_CA_DIR if set, else $XDG_DATA_HOME/replica/ca, else ~/.local/share/replica/ca: one per user and machine,
    /// apart from the state directory, which tests and scenario runs replace.
    /// </summary>
    public static string DefaultDirectory()
    {
        if (Environment.GetEnvironmentVariable("REPLICA_CA_DIR") is { Length: > 0 } explicitDirectory)
        {
            return Path.GetFullPath(explicitDirectory);
        }
        var data = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(data, "replica", "ca");
    }

    /// <summary>True when <paramref name="directory"/> already holds an authority (it may still be unusable).</summary>
    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, CertificateFileName));

    /// <summary>Opens the authority in <paramref name="directory"/>, making it first if there is none.</summary>
    /// <exception cref="TlsSettingsException">(<see cref="TlsSetting.Authority"/>) it cannot be made or read, or is unusable.</exception>
    public static CertificateAuthority OpenOrCreate(string directory)
    {
        directory = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(directory))
        {
            Create(directory);
        }
        return Open(directory);
    }

    /// <summary>Opens an existing authority.</summary>
    /// <exception cref="TlsSettingsException">(<see cref="TlsSetting.Authority"/>) it is missing, unreadable, not a CA, or expired.</exception>
    public static CertificateAuthority Open(string directory)
    {
        directory = Path.GetFullPath(directory);
        var certificate = Path.Combine(directory, CertificateFileName);
        var key = Path.Combine(directory, KeyFileName);
        var remedy = $"remove {directory} and Replica makes a new authority (clients must then trust the new {CertificateFileName})";
        if (!File.Exists(certificate) || !File.Exists(key))
        {
            throw new TlsSettingsException(TlsSetting.Authority,
                $"{directory} is not a certificate authority: it must hold {CertificateFileName} and {KeyFileName}; {remedy}");
        }
        X509Certificate2 signer;
        try
        {
            signer = X509Certificate2.CreateFromPemFile(certificate, key);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new TlsSettingsException(TlsSetting.Authority, $"cannot read the certificate authority in {directory}: {e.Message}; {remedy}", e);
        }
        if (signer.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            throw new TlsSettingsException(TlsSetting.Authority, $"{certificate} is not a CA certificate (no basic constraint CA:true); {remedy}");
        }
        if (signer.NotAfter.ToUniversalTime() < DateTime.UtcNow.Add(LeafLifetime))
        {
            throw new TlsSettingsException(TlsSetting.Authority, $"{certificate} expires on {signer.NotAfter:yyyy-MM-dd}; {remedy}");
        }
        return new CertificateAuthority(directory, signer);
    }

    /// <summary>
    /// A new leaf certificate for a TLS server, with its private key, valid for 30 days from an hour ago, covering
    /// <paramref name="hosts"/> (DNS names, wildcards or IP addresses; the first is also the subject's common name).
    /// </summary>
    /// <exception cref="TlsSettingsException">(<see cref="TlsSetting.Hosts"/>) a host is neither a DNS name nor an IP address.</exception>
    public X509Certificate2 IssueServerCertificate(IReadOnlyList<string> hosts)
    {
        if (hosts.Count == 0)
        {
            throw new TlsSettingsException(TlsSetting.Hosts, "a server certificate needs at least one host name");
        }
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(host.Trim('[', ']'), out var address))
            {
                names.AddIpAddress(address);
            }
            else if (IsDnsName(host))
            {
                names.AddDnsName(host.ToLowerInvariant());
            }
            else
            {
                throw new TlsSettingsException(TlsSetting.Hosts, $"'{host}' is neither a DNS name (letters, digits, '-', dots; '*.' first for a wildcard) nor an IP address");
            }
        }
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedName($"CN={hosts[0].Trim('[', ']')}, O=Replica edge proxy");
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_signer, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var now = DateTimeOffset.UtcNow;
        var notAfter = now.Add(LeafLifetime) < _signer.NotAfter ? now.Add(LeafLifetime) : new DateTimeOffset(_signer.NotAfter.ToUniversalTime());
        using var issued = request.Create(_signer, now.AddHours(-1), notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    private static void Create(string directory)
    {
        var parent = Path.GetDirectoryName(directory)!;
        var staging = Path.Combine(parent, $".{Path.GetFileName(directory)}.{Environment.ProcessId}.{Guid.NewGuid():N}");
        try
        {
            System.IO.Directory.CreateDirectory(parent);
            System.IO.Directory.CreateDirectory(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var subject = new X500DistinguishedName($"CN=Replica local CA ({Environment.MachineName}), O=Replica");
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            var now = DateTimeOffset.UtcNow;
            using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.Add(AuthorityLifetime));
            var keyPath = Path.Combine(staging, KeyFileName);
            using (var keyFile = new FileStream(keyPath, new FileStreamOptions
                   {
                       Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                   }))
            using (var writer = new StreamWriter(keyFile))
            {
                writer.Write(key.ExportPkcs8PrivateKeyPem());
            }
            File.WriteAllText(Path.Combine(staging, CertificateFileName), certificate.ExportCertificatePem() + "\n");
            // One rename makes the whole authority appear at once; whoever loses a race uses the winner's.
            System.IO.Directory.Move(staging, directory);
        }
        catch (IOException) when (System.IO.Directory.Exists(directory))
        {
            // Another process made it first.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new TlsSettingsException(TlsSetting.Authority, $"cannot create the certificate authority in {directory}: {e.Message}", e);
        }
        finally
        {
            if (System.IO.Directory.Exists(staging))
            {
                System.IO.Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static bool IsDnsName(string host)
    {
        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        return name.Length is > 0 and <= 253
               && name.Split('.').All(label => label.Length is > 0 and <= 63
                                               && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
                                               && label[0] != '-' && label[^1] != '-');
    }
}
