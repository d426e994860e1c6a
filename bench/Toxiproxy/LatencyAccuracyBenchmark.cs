using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Network;
using Replica.Proxy.Tcp.Network.Timing;
using Replica.Proxy.Tcp.Proxies;
using Replica.Proxy.Tcp.Toxics;

namespace Replica.Bench.Toxiproxy;

/// <summary>
/// How late a 100 ms latency toxic delivers, beside the wait scheduler's own floor measured in the same run. One-way:
/// the upstream notes when each stamped message arrives (one blocking-read thread: one wake-up), minus 100 ms — what
/// the toxic controls. Round trip: the echo back through the proxy's downstream link to the client, minus 100 ms —
/// the figure earlier runs and Toxiproxy's were given in (two more wake-ups, in the proxy and in the client).
/// </summary>
public sealed class LatencyAccuracyBenchmark : IBenchmark
{
    public string Name => "toxiproxy-latency-accuracy";

    public string Description => "lateness of a 100 ms latency toxic (one-way and round trip) beside the wait scheduler's floor (args: [samples, default 200] [runs, default 3] [pool|inline: socket completions on the thread pool (default) or inline, as `replica toxiproxy --inline-io`])";

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var samples = BenchArguments.Int(args, 0, "samples", 200);
        var runs = BenchArguments.Int(args, 1, "runs", 3);
        // Before any socket: the runtime reads the setting once, at the process's first asynchronous socket call.
        var io = BenchArguments.Choice(args, 2, "io", "pool", "inline") == "inline" && InlineSocketCompletions.Enable() ? "inline" : "pool";
        output.WriteLine($"toxiproxy-latency-accuracy: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}, {samples} messages of 64 bytes per run, 100 ms upstream latency, socket completions: {io}");
        output.WriteLine("| run | floor p50 / p99 ms | one-way late p50 / p99 ms | goal: p99 ≤ floor p99 + 0.3 | round trip late p50 / p99 / max ms |");
        output.WriteLine("|---|---:|---:|:---:|---:|");
        for (var run = 1; run <= runs; run++)
        {
            await using var server = await ToxiproxyServer.StartAsync(new ToxiproxyServerOptions { Port = 0 }, cancellationToken);
            using var echo = new TimestampEchoServer();
            var proxy = server.Proxies.Create(new ProxyDefinition("bench", "127.0.0.1:0", $"127.0.0.1:{echo.EndPoint.Port}")
            {
                Toxics = [new ToxicSpec("latency") { Stream = "upstream", Attributes = new Dictionary<string, object?> { ["latency"] = 100 } }],
            });
            var floor = await SchedulerFloorAsync(samples);
            var roundTrips = await RoundTripsAsync(proxy, samples, cancellationToken);
            var oneWay = echo.OneWayMilliseconds.Select(t => t - 100).Order().ToList();
            var roundTrip = roundTrips.Select(t => t - 100).Order().ToList();
            var goal = Percentiles.Of(floor, 99) + 0.3;
            var met = Percentiles.Of(oneWay, 99) <= goal;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {run} | {Percentiles.Of(floor, 50):0.000} / {Percentiles.Of(floor, 99):0.000} | {Percentiles.Of(oneWay, 50):0.000} / {Percentiles.Of(oneWay, 99):0.000} | {(met ? "✔" : "✘")} ≤ {goal:0.000} | {Percentiles.Of(roundTrip, 50):0.000} / {Percentiles.Of(roundTrip, 99):0.000} / {roundTrip[^1]:0.000} |"));
        }
        output.WriteLine("floor: the wait scheduler alone completing 10 ms waits (the wake-up this machine allows right now); never early: min one-way lateness is ≥ 0 by construction.");
        return 0;
    }

    private static async Task<List<double>> RoundTripsAsync(TcpProxy proxy, int count, CancellationToken cancellationToken)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(proxy.ListenEndPoint!, cancellationToken);
        var message = new byte[TimestampEchoServer.MessageSize];
        var reply = new byte[TimestampEchoServer.MessageSize];
        var result = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            TimestampEchoServer.Stamp(message);
            var start = Stopwatch.GetTimestamp();
            await client.SendAsync(message, SocketFlags.None, cancellationToken);
            var read = 0;
            while (read < reply.Length)
            {
                var n = await client.ReceiveAsync(reply.AsMemory(read), SocketFlags.None, cancellationToken);
                if (n == 0)
                {
                    throw new IOException($"the proxy closed the connection in round trip {i + 1}");
                }
                read += n;
            }
            result.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return result;
    }

    /// <summary>How late the scheduler completes 10 ms waits with nothing else running: the OS wake-up floor.</summary>
    private static async Task<List<double>> SchedulerFloorAsync(int count)
    {
        var wait = new ScheduledWait();
        var lateness = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var due = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;
            await wait.UntilAsync(due);
            lateness.Add((Stopwatch.GetTimestamp() - due) * 1000.0 / Stopwatch.Frequency);
        }
        lateness.Sort();
        return lateness;
    }
}
