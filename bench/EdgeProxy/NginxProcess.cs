using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Replica.Environments.Processes;

namespace Replica.Bench.EdgeProxy;

/// <summary>nginx (Debian package) as a plain reverse proxy on an ephemeral loopback port, with a temp config; never the system service.</summary>
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

    public static async Task<NginxProcess> StartAsync(Uri upstream, CancellationToken cancellationToken)
    {
        var nginx = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("nginx not found: apt-get install -y nginx");
        var port = PortAllocator.Ephemeral();
        var directory = Directory.CreateTempSubdirectory("replica-bench-nginx-").FullName;
        // Same shape as the Replica proxy: HTTP/1.1 in, keep-alive pool to the upstream, one worker per core.
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
                upstream backend { server {{upstream.Host}}:{{upstream.Port}}; keepalive 128; }
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://backend;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                    }
                }
            }
            """, cancellationToken);
        var info = new ProcessStartInfo(nginx) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var arg in new[] { "-p", directory, "-c", Path.Combine(directory, "nginx.conf"), "-g", "daemon off; master_process on;" })
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info)!;
        var result = new NginxProcess(process, directory, new Uri($"http://127.0.0.1:{port}/"));
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
