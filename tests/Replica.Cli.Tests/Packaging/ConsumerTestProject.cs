using System.Security;
using Replica.Tests.Support;

namespace Replica.Cli.Tests.Packaging;

/// <summary>
/// A throwaway xUnit project as a user would write it against the packed Replica.Testing: a PackageReference by
/// version, packages restored from the packed folder plus the machine's usual NuGet source (its nuget.config adds
/// one source, nothing else). Packages it restores go to a folder of its own, so a package from an earlier pack at
/// the same version is never taken from the machine's cache; the others are read from that cache where present.
/// </summary>
public sealed class ConsumerTestProject : IDisposable
{
    private readonly ScratchDirectory directory = new("replica-consumer-");

    public ConsumerTestProject(string packageFolder, string version)
    {
        directory.Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="replica-packed" value="{SecurityElement.Escape(packageFolder)}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine-cache" value="{SecurityElement.Escape(MachinePackageCache)}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        directory.Write("UsesReplica/UsesReplica.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <IsPackable>false</IsPackable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Replica.Testing" Version="{version}" />
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.11.0" />
                <PackageReference Include="xunit" Version="2.9.3" />
                <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" />
              </ItemGroup>
            </Project>
            """);
        directory.Write("UsesReplica/ScopedLatencyTests.cs", """
            using System.Diagnostics;
            using System.Net;
            using System.Net.Sockets;
            using Replica.Testing.Containers;
            using Xunit;

            // Replica runs on Linux and says so; without this every call to it warns (CA1416).
            [assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

            public sealed class ScopedLatencyTests
            {
                [Fact]
                public async Task A_round_trip_through_the_proxy_is_late_by_the_scoped_latency()
                {
                    using var server = new TcpListener(IPAddress.Loopback, 0);
                    server.Start();
                    var echo = EchoOnceAsync(server);
                    await using var proxy = await TcpFaultProxy.StartAsync($"127.0.0.1:{((IPEndPoint)server.LocalEndpoint).Port}");
                    using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    await client.ConnectAsync(IPEndPoint.Parse(proxy.Endpoint));

                    TimeSpan roundTrip;
                    using (proxy.AddLatency(TimeSpan.FromMilliseconds(100)))
                    {
                        var start = Stopwatch.GetTimestamp();
                        await client.SendAsync("ping"u8.ToArray());
                        Assert.Equal(4, await client.ReceiveAsync(new byte[4]));
                        roundTrip = Stopwatch.GetElapsedTime(start);
                    }
                    client.Shutdown(SocketShutdown.Send);
                    await echo;

                    Assert.InRange(roundTrip.TotalMilliseconds, 100, 5000);
                    Assert.Empty(proxy.Proxy.Toxics);
                }

                private static async Task EchoOnceAsync(TcpListener server)
                {
                    using var peer = await server.AcceptSocketAsync();
                    var buffer = new byte[64];
                    int read;
                    while ((read = await peer.ReceiveAsync(buffer)) > 0)
                    {
                        await peer.SendAsync(buffer.AsMemory(0, read));
                    }
                }
            }
            """);
    }

    /// <summary>The folder holding nuget.config and the project folder UsesReplica/.</summary>
    public string Root => directory.Path;

    /// <summary>Where this project's restore puts what it downloads (NUGET_PACKAGES for its commands).</summary>
    public string PackageCache => Path.Combine(Root, "packages");

    /// <summary>The machine's NuGet package cache, read as a fallback folder (nothing is written to it).</summary>
    private static string MachinePackageCache =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    public void Dispose() => directory.Dispose();
}
