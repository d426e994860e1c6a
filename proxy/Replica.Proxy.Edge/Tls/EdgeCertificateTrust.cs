using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Replica.Proxy.Edge.Tls;

/// <summary>
/// What Replica's own clients of the edge (the scenario probes, Replica.Testing's probes) trust when the edge serves
/// TLS: whatever the system trusts, plus every local certificate authority an environment of this process has served
/// from (<see cref="Trust"/>, called when such an environment starts). The
/// host name must still match: a certificate for another name fails as it would for any client. Nothing is added to
/// the machine's or the user's trust store.
/// </summary>
public static class EdgeCertificateTrust
{
    private static readonly ConcurrentDictionary<string, X509Certificate2> Authorities = new(StringComparer.Ordinal);

    /// <summary>Trusts the authority whose certificate is the PEM file <paramref name="certificatePath"/> (a ca.crt).</summary>
    public static void Trust(string certificatePath) =>
        Authorities.GetOrAdd(Path.GetFullPath(certificatePath), static path => X509Certificate2.CreateFromPem(File.ReadAllText(path)));

    /// <summary>A handler for HTTP probes that validates server certificates with <see cref="Validate"/>.</summary>
    public static SocketsHttpHandler CreateHandler() => new()
    {
        UseProxy = false,
        SslOptions = { RemoteCertificateValidationCallback = Validate },
    };

    /// <summary>Accepts a certificate the system trusts, or one that chains to a trusted local authority; a wrong name never.</summary>
    public static bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null || Authorities.IsEmpty)
        {
            return false;
        }
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        foreach (var authority in Authorities.Values)
        {
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.Add(authority);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                foreach (var element in chain.ChainElements)
                {
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }
            if (custom.Build(leaf))
            {
                return true;
            }
        }
        return false;
    }
}
