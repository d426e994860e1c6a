using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Replica.Environments.Processes;

namespace Replica.Bench.EdgeProxy;

/// <summary>
/// nginx (Debian's nginx-light) on an ephemeral loopback port with a temp config and prefix; never the system
/// service. As the upstream every target forwards to (a static body), or as a plain reverse proxy, with or without TLS.
/// </summary>
internal sealed class NginxProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private NginxProcess(Process process, string directory, Uri url)
    {
        _process = process;
        _directory = directory;
        Url = url;
    }

    public Uri Url { get; }

    public int Pid => _process.Id;

    /// <summary>Answers every path with the same JSON body of <paramref name="bodyBytes"/> bytes.</summary>
    public static Task<NginxProcess> StartUpstreamAsync(int bodyBytes, CancellationToken cancellationToken) =>
        StartAsync((directory, listen) =>
        {
            var body = "{\"padding\":\"" + new string('x', Math.Max(0, bodyBytes - 14)) + "\"}\n";
            Directory.CreateDirectory(Path.Combine(directory, "www"));
            File.WriteAllText(Path.Combine(directory, "www", "body.json"), body);
            // nginx's workers run as an unprivileged user: the temp directory (0700) must let them read the body.
            const UnixFileMode readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                          | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
            File.SetUnixFileMode(directory, readable);
            File.SetUnixFileMode(Path.Combine(directory, "www"), readable);
            return $$"""
                server {
                    listen {{listen}};
                    root {{directory}}/www;
                    location / { default_type application/json; try_files /body.json =404; }
                }
                """;
        }, tls: false, cancellationToken);

    /// <summary>A reverse proxy to <paramref name="upstream"/> with a keep-alive pool, as a load balancer runs one; TLS with the given PEM files.</summary>
    public static Task<NginxProcess> StartProxyAsync(Uri upstream, (string Certificate, string Key)? tls, CancellationToken cancellationToken) =>
        StartAsync((_, listen) => $$"""
            upstream backend { server {{upstream.Host}}:{{upstream.Port}}; keepalive 128; }
            server {
                listen {{listen}}{{(tls is null ? "" : " ssl http2")}};
                {{(tls is { } t ? $"ssl_certificate {t.Certificate}; ssl_certificate_key {t.Key}; ssl_protocols TLSv1.2 TLSv1.3; ssl_session_cache off; ssl_session_tickets off;" : "")}}
                location / {
                    proxy_pass http://backend;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                }
            }
            """, tls is not null, cancellationToken);

    private static async Task<NginxProcess> StartAsync(Func<string, string, string> server, bool tls, CancellationToken cancellationToken)
    {
        var nginx = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("nginx not found: apt-get install -y nginx-light");
        var port = PortAllocator.Ephemeral();
        var directory = Directory.CreateTempSubdirectory("replica-bench-nginx-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "nginx.conf"), $$"""
            worker_processes auto;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 4096; }
            http {
                access_log off;
                client_body_temp_path {{directory}}/body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                {{server(directory, $"127.0.0.1:{port}")}}
            }
            """, cancellationToken);
        var info = new ProcessStartInfo(nginx) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var arg in new[] { "-p", directory, "-c", Path.Combine(directory, "nginx.conf"), "-g", "daemon off; master_process on;" })
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info)!;
        var result = new NginxProcess(process, directory, new Uri($"{(tls ? "https" : "http")}://127.0.0.1:{port}/"));
        try
        {
            await WaitForPortAsync(port, process, cancellationToken);
            return result;
        }
        catch
        {
            await result.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task WaitForPortAsync(int port, Process process, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 100; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited: {await process.StandardError.ReadToEndAsync(cancellationToken)}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
        throw new TimeoutException($"nginx did not listen on {port}");
    }
}
