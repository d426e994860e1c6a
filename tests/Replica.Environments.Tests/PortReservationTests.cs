using System.Net;
using System.Net.Sockets;
using Replica.Environments.Compose;
using Replica.Environments.Hosting;
using Replica.Environments.Processes;
using Replica.Environments.Runtimes;
using Replica.Tests.Support;

namespace Replica.Environments.Tests;

/// <summary>
/// The process runtime picks a service's port before the service listens on it (a deferred service's dependents are
/// pointed at it before it starts; a restarted service keeps it). Another process asking the kernel for a free port
/// in that gap must not be handed it. The race is made to happen every time: the intruder's socket is restricted to
/// that one port (Linux's IP_LOCAL_PORT_RANGE, per socket), so the kernel hands it the port whenever it is free.
/// </summary>
public sealed class PortReservationTests : IAsyncLifetime
{
    // Linux: IPPROTO_IP level, IP_LOCAL_PORT_RANGE (since 6.3); the value is the lowest port | the highest port << 16.
    private const int IpProtoIp = 0;
    private const int IpLocalPortRange = 51;

    private readonly IsolatedStateStore _state = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _state.DisposeAsync();

    [Fact]
    public async Task A_deferred_or_killed_services_port_is_handed_to_no_other_process_and_the_service_still_binds_it()
    {
        using var dir = new ScratchDirectory();
        var compose = dir.Write("compose.yaml", """
            services:
              redis:
                image: redis:7
                ports: ["6379"]
              client:
                image: client
                environment:
                  TARGET: redis:6379
                x-replica:
                  command: ["sh", "-c", "exec sleep 60"]
            """);
        await using var environment = await new EnvironmentBuilder().WithComposeFile(compose).WithName("held")
            .WithStateDirectory(_state.Root).WithDeferredStart("redis").Build().StartAsync();
        var target = HostEndpoint.Parse(Assert.Single(environment.Dependencies, d => d.Dependency == "redis").Address);

        // Before the service starts: another process binding "any free port", or connecting out, is not given it.
        AssertKernelWillNotHandOut(target.Port);

        await environment["redis"].StartAsync();
        Assert.Equal(target, environment["redis"].Endpoint);
        Assert.Equal("PONG", await RedisPing.SendAsync(target.Host, target.Port, TimeSpan.FromSeconds(5)));

        // While it is down (killed by a fault, say) the port stays its own, and it binds it again on start.
        await environment["redis"].KillAsync();
        AssertKernelWillNotHandOut(target.Port);
        await environment["redis"].StartAsync();
        Assert.Equal("PONG", await RedisPing.SendAsync(target.Host, target.Port, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void The_intruder_is_handed_a_free_port_it_is_restricted_to_so_the_race_above_is_real()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }
        using var intruder = RestrictedTo(port);
        intruder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Assert.Equal(port, ((IPEndPoint)intruder.LocalEndPoint!).Port);
    }

    [Fact]
    public void A_port_already_given_to_a_service_is_passed_over_and_left_free_for_it()
    {
        // The docker runtime lets go of a container's ports just before the engine binds them, and a stopped container
        // holds none: in those gaps the kernel may offer the port to another copy of the same verify. Here it is
        // offered first every time; the reservation must take the next one and leave that one to its service.
        int? offered = null;
        using var reservation = PortReservation.Ephemeral("127.0.0.1", port => (offered ??= port) == port);

        Assert.NotNull(offered);
        Assert.NotEqual(offered, reservation.Port);
        using var service = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        service.Bind(new IPEndPoint(IPAddress.Loopback, offered!.Value));
        service.Listen();
    }

    [Fact]
    public void Ports_an_environment_picked_stay_given_until_it_is_disposed()
    {
        using var dir = new ScratchDirectory();
        var compose = ComposeLoader.Load(dir.Write("compose.yaml", """
            services:
              cache:
                image: redis:7
                ports: ["6379"]
            """));
        var reservations = new EndpointReservations(_ => "127.0.0.1", holdPorts: true);
        var port = reservations.For(compose.Services.Single()).Values.Single().Port;
        reservations.Release(compose.Services.Single());

        Assert.True(EndpointReservations.IsGiven(port), "released for its service to bind, the port is still that service's");
        reservations.Dispose();
        Assert.False(EndpointReservations.IsGiven(port));
    }

    private static void AssertKernelWillNotHandOut(int port)
    {
        using (var bindAny = RestrictedTo(port))
        {
            var bind = Assert.Throws<SocketException>(() => bindAny.Bind(new IPEndPoint(IPAddress.Loopback, 0)));
            Assert.Equal(SocketError.AddressAlreadyInUse, bind.SocketErrorCode);
        }
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var connectOut = RestrictedTo(port);
        var connect = Assert.Throws<SocketException>(() => connectOut.Connect(listener.LocalEndPoint!));
        Assert.Equal(SocketError.AddressNotAvailable, connect.SocketErrorCode);
    }

    private static Socket RestrictedTo(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.SetRawSocketOption(IpProtoIp, IpLocalPortRange, BitConverter.GetBytes((uint)port | ((uint)port << 16)));
        return socket;
    }
}
