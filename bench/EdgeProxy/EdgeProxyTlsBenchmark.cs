using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Replica.Proxy.Edge.Tls;

namespace Replica.Bench.EdgeProxy;

/// <summary>
/// TLS at the edge beside nginx with TLS, both serving the same ECDSA P-256 certificate (issued by a scratch local
/// authority) in front of the same nginx upstream: requests/s over kept-alive https connections, and the time of a
/// new connection's TCP connect + TLS 1.3 handshake, with each proxy's CPU per request and per handshake. Interleaved
/// rounds, medians.
/// </summary>
public sealed class EdgeProxyTlsBenchmark : IBenchmark
{
    public string Name => "edge-proxy-tls";

    public string Description => "https req/s and TLS handshake time: replica proxy --tls vs nginx with TLS [--seconds 5] [--connections 32] [--rounds 5] [--handshakes 200]";

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var seconds = BenchArguments.Option(args, "--seconds", 5);
        var connections = BenchArguments.Option(args, "--connections", 32);
        var rounds = BenchArguments.Option(args, "--rounds", 5);
        var handshakes = BenchArguments.Option(args, "--handshakes", 200);

        var scratch = Directory.CreateTempSubdirectory("replica-bench-tls-").FullName;
        try
        {
            var authority = CertificateAuthority.OpenOrCreate(Path.Combine(scratch, "ca"));
            using var leaf = authority.IssueServerCertificate(["localhost", "127.0.0.1"]);
            var certificate = Path.Combine(scratch, "edge.crt");
            var key = Path.Combine(scratch, "edge.key");
            await File.WriteAllTextAsync(certificate, leaf.ExportCertificatePem(), cancellationToken);
            await File.WriteAllTextAsync(key, leaf.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(), cancellationToken);
            File.SetUnixFileMode(scratch, (UnixFileMode)0b111_101_101);

            await using var upstream = await NginxProcess.StartUpstreamAsync(1400, cancellationToken);
            await using var nginx = await NginxProcess.StartProxyAsync(upstream.Url, (certificate, key), cancellationToken);
            await using var replica = await ReplicaProxyProcess.StartAsync(upstream.Url, cancellationToken, "--tls-cert", certificate, "--tls-key", key);
            BenchTarget[] targets =
            [
                new("nginx, TLS", new Uri(nginx.Url, "/bench"), nginx.Pid),
                new("replica proxy --tls", new Uri(replica.Url, "/bench"), replica.Pid),
            ];
            output.WriteLine($"edge-proxy-tls: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}, wrk -t2 -c{connections} -d{seconds}s over https (kept alive), {handshakes} new TLS 1.3 connections per round, {rounds} interleaved rounds");
            var requests = await InterleavedRounds.RunAsync(targets, rounds, connections, TimeSpan.FromSeconds(seconds), output, cancellationToken);
            var handshakeTimes = targets.ToDictionary(t => t.Name, _ => new List<double>());
            var handshakeCpu = targets.ToDictionary(t => t.Name, _ => new List<double>());
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var target in targets)
                {
                    var before = ProcessCpu.OfTree(target.Pid!.Value);
                    var times = await TlsHandshakes.MeasureAsync(target.Url, handshakes, cancellationToken);
                    var cpu = (ProcessCpu.OfTree(target.Pid!.Value) - before).TotalMicroseconds / handshakes;
                    handshakeTimes[target.Name].Add(Percentiles.Median(times));
                    handshakeCpu[target.Name].Add(cpu);
                    times.Sort();
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  round {round} {target.Name,-20} handshake p50 {Percentiles.Of(times, 50):0.000} ms  p99 {Percentiles.Of(times, 99):0.000} ms  CPU {cpu:0} µs/handshake"));
                }
            }
            output.WriteLine();
            output.WriteLine($"| target (medians of {rounds} rounds) | https req/s | p99 ms | CPU µs/req | connect + TLS 1.3 handshake, median ms | CPU µs/handshake |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var target in targets)
            {
                var s = requests[target.Name];
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {target.Name} | {s.Median(x => x.RequestsPerSecond):0} | {s.Median(x => x.P99Ms):0.000} | {s.Median(x => x.CpuMicrosPerRequest):0.0} | {Percentiles.Median(handshakeTimes[target.Name]):0.000} | {Percentiles.Median(handshakeCpu[target.Name]):0} |"));
            }
            return 0;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
