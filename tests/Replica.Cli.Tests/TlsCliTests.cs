using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Replica.Environments.Processes;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>
/// `replica ca`, `replica proxy --tls` and the bad settings of `replica proxy` and `replica up`: each named as the user
/// wrote it, with its exit code, and nothing left started. The certificate authority is a scratch one (REPLICA_CA_DIR).
/// </summary>
public sealed class TlsCliTests : IsolatedCliTest
{
    public TlsCliTests() : base("replica-tls-cli-") => Cli.WithVariable("REPLICA_CA_DIR", AuthorityDirectory);

    private string AuthorityDirectory => Path.Combine(Out.Path, "ca");

    [Fact]
    public async Task Ca_makes_the_authority_once_and_prints_how_clients_trust_it()
    {
        var first = await Cli.RunAsync(["ca", "--json"]);
        var second = await Cli.RunAsync(["ca"]);

        Assert.True(first.ExitCode == 0, first.ToString());
        var json = JsonDocument.Parse(first.StandardOutput).RootElement;
        var certificate = Path.Combine(AuthorityDirectory, "ca.crt");
        Assert.Equal(certificate, json.GetProperty("certificate").GetString());
        Assert.True(json.GetProperty("created").GetBoolean());
        var bundle = File.ReadAllText(json.GetProperty("bundle").GetString()!);
        Assert.EndsWith(File.ReadAllText(certificate), bundle);
        Assert.Equal(0, second.ExitCode);
        Assert.DoesNotContain("made now", second.StandardOutput);
        foreach (var line in new[] { $"SSL_CERT_FILE={AuthorityDirectory}/bundle.pem", $"REQUESTS_CA_BUNDLE={AuthorityDirectory}/bundle.pem", $"NODE_EXTRA_CA_CERTS={certificate}", $"--cacert {certificate}", "CustomRootTrust" })
        {
            Assert.Contains(line, second.StandardOutput);
        }
    }

    [Fact]
    public async Task Proxy_tls_serves_https_with_a_certificate_from_the_authority()
    {
        await using var upstream = await UpstreamServer.StartAsync("backend");
        await using var proxy = Cli.Start(["proxy", "--upstream", upstream.Url.ToString(), "--tls", "--tls-host", "edge.replica.test", "--json"]);
        var line = await proxy.WaitForLineAsync(l => l.StartsWith('{'), TimeSpan.FromSeconds(60), "the JSON line");
        var json = JsonDocument.Parse(line).RootElement;
        var url = new Uri(json.GetProperty("url").GetString()!);
        using var http = TrustingClients.Http(json.GetProperty("certificateAuthority").GetString()!, toLoopback: true);

        using var response = await http.GetAsync($"https://edge.replica.test:{url.Port}/api/x");

        Assert.Equal("https", url.Scheme);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);
    }

    [Fact]
    public async Task Proxy_names_a_bad_certificate_setting_a_taken_port_and_an_unknown_profile()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var key = Out.Write("edge.key", "not a key");

        var missing = await Cli.RunAsync(["proxy", "--upstream", "http://127.0.0.1:9", "--tls-cert", Path.Combine(Out.Path, "nope.crt"), "--tls-key", key]);
        var keyless = await Cli.RunAsync(["proxy", "--upstream", "http://127.0.0.1:9", "--tls-cert", key]);
        var busy = await Cli.RunAsync(["proxy", "--upstream", "http://127.0.0.1:9", "--listen", $"127.0.0.1:{port}"]);
        var profile = await Cli.RunAsync(["proxy", "--upstream", "http://127.0.0.1:9", "--network", "stagging"]);

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains($"--tls-cert: {Out.Path}/nope.crt: no such file", missing.StandardError);
        Assert.Equal(2, keyless.ExitCode);
        Assert.Contains("--tls-key: a certificate file was given without its private key", keyless.StandardError);
        Assert.Equal(3, busy.ExitCode);
        Assert.Contains($"--listen: cannot listen on 127.0.0.1:{port}", busy.StandardError);
        Assert.Equal(2, profile.ExitCode);
        Assert.Contains("--network: unknown network profile 'stagging' (did you mean 'staging'?); known: none, staging", profile.StandardError);
        Assert.All(new[] { missing, keyless, busy, profile }, r => Assert.DoesNotContain("   at ", r.StandardError));
    }

    [Fact]
    public async Task Up_refuses_an_unknown_profile_a_taken_port_and_an_unusable_authority_before_starting_anything()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        Directory.CreateDirectory(AuthorityDirectory);
        File.WriteAllText(Path.Combine(AuthorityDirectory, "ca.crt"), "not a certificate");

        var profile = await Cli.RunAsync(["up", "--name", "shape", "--network", "stagin"]);
        var busy = await Cli.RunAsync(["up", "--name", "shape", "--port", port.ToString()]);
        var authority = await Cli.RunAsync(["up", "--name", "shape", "--tls"]);

        Assert.Equal(2, profile.ExitCode);
        Assert.Contains("--network: unknown network profile 'stagin' (did you mean 'staging'?)", profile.StandardError);
        Assert.Equal(3, busy.ExitCode);
        Assert.Contains($"cannot listen on 127.0.0.1:{port}", busy.StandardError);
        Assert.Contains("nothing was started", busy.StandardError);
        Assert.Equal(2, authority.ExitCode);
        Assert.Contains($"the local certificate authority (REPLICA_CA_DIR): {AuthorityDirectory} is not a certificate authority", authority.StandardError);
        foreach (var result in new[] { profile, busy, authority })
        {
            Assert.DoesNotContain(" started (pid", result.StandardOutput);
            Assert.DoesNotContain("   at ", result.StandardError);
        }
        Assert.Null(State.Store.Read("shape"));
    }
}
