using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Replica.Environments.Errors;
using Replica.Proxy.Edge.Tls;

namespace Replica.Cli.Commands;

/// <summary>
/// `replica ca`: the machine's local certificate authority (made now if there is none) and the lines that make
/// clients trust it. It also writes bundle.pem beside it: the system's roots plus this CA, for variables such as
/// SSL_CERT_FILE that replace a client's trust store instead of adding to it.
/// </summary>
internal static class CaCommand
{
    private static readonly string[] SystemBundles = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"];

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the paths and the fingerprint as JSON" };
        var command = new Command("ca", "Show the local certificate authority the edge's TLS certificates come from, and how to make clients trust it") { json };
        command.SetAction(parse =>
        {
            var directory = CertificateAuthority.DefaultDirectory();
            var created = !CertificateAuthority.Exists(directory);
            CertificateAuthority authority;
            try
            {
                authority = CertificateAuthority.OpenOrCreate(directory);
            }
            catch (TlsSettingsException ex)
            {
                throw new ReplicaException($"the local certificate authority (REPLICA_CA_DIR={directory}): {ex.Message}", ReplicaErrorKind.BadInput);
            }
            var bundle = WriteBundle(authority);
            var fingerprint = Convert.ToHexString(SHA256.HashData(authority.Certificate.RawData));
            if (parse.GetValue(json))
            {
                Console.WriteLine(new JsonObject
                {
                    ["certificate"] = authority.CertificatePath,
                    ["bundle"] = bundle,
                    ["directory"] = authority.Directory,
                    ["created"] = created,
                    ["subject"] = authority.Certificate.Subject,
                    ["notAfter"] = authority.Certificate.NotAfter.ToUniversalTime(),
                    ["sha256"] = fingerprint,
                }.ToJsonString());
                return ExitCodes.Success;
            }
            Console.WriteLine($"Local certificate authority{(created ? " (made now)" : "")}: {authority.CertificatePath}");
            Console.WriteLine($"  {authority.Certificate.Subject}, valid until {authority.Certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}, SHA-256 {fingerprint}");
            Console.WriteLine($"  its key: {Path.Combine(authority.Directory, CertificateAuthority.KeyFileName)} (owner only; never share it)");
            Console.WriteLine();
            Console.WriteLine("Make clients trust it (the edge's https:// and wss://; upstreams stay plain):");
            Console.WriteLine($"  curl --cacert {authority.CertificatePath} https://127.0.0.1:PORT/health");
            Console.WriteLine($"  export SSL_CERT_FILE={bundle}        # OpenSSL: curl, Python ssl and websockets, Ruby, Go; .NET on Linux reads it at start-up");
            Console.WriteLine($"  export REQUESTS_CA_BUNDLE={bundle}   # Python requests");
            Console.WriteLine($"  export NODE_EXTRA_CA_CERTS={authority.CertificatePath}     # Node.js (added to its own roots)");
            Console.WriteLine("  .NET in code, this CA only (HttpClient, or ClientWebSocket.ConnectAsync(uri, new HttpMessageInvoker(handler), ct)):");
            Console.WriteLine("    var handler = new SocketsHttpHandler();");
            Console.WriteLine("    handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };");
            Console.WriteLine($"    handler.SslOptions.CertificateChainPolicy.CustomTrustStore.Add(X509Certificate2.CreateFromPemFile(\"{authority.CertificatePath}\"));");
            Console.WriteLine($"{bundle} is the system's roots plus this CA, rewritten by every `replica ca`; ca.crt alone suits variables that add to a trust store.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string WriteBundle(CertificateAuthority authority)
    {
        var bundle = Path.Combine(authority.Directory, "bundle.pem");
        var system = SystemBundles.FirstOrDefault(File.Exists);
        var text = (system is null ? "" : File.ReadAllText(system).TrimEnd() + "\n") + File.ReadAllText(authority.CertificatePath);
        var temporary = bundle + $".{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, bundle, overwrite: true);
        return bundle;
    }
}
