using System.Runtime.InteropServices;
using Replica.Environments.Compose;
using Replica.Environments.State;

namespace Replica.Cli;

/// <summary>
/// Turns Ctrl+C, SIGTERM and SIGHUP into a cancellation, so a command tears down what it started; a second signal
/// runs <paramref name="force"/> (kill everything now) and exits.
/// </summary>
internal sealed class SignalScope : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly Action? _force;
    private int _count;
    private int _disposed;

    public SignalScope(CancellationToken outer, Action? force = null)
    {
        _cts = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _force = force;
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }
    }

    /// <summary>
    /// A scope for a command that brings environment <paramref name="name"/> up: the second signal kills what its
    /// state file lists before exiting, since its services run in their own sessions and would outlive the CLI.
    /// </summary>
    public static SignalScope ForEnvironment(CancellationToken outer, StateStore store, string name) =>
        new(outer, force: () => ForceKill(store, ComposeLoader.Sanitize(name)));

    /// <summary>
    /// A scope for `verify --parallel`: the second signal kills every copy this process owns — environment
    /// <paramref name="name"/> and its copies NAME-1 … NAME-K — as their state files list them.
    /// </summary>
    public static SignalScope ForEnvironmentCopies(CancellationToken outer, StateStore store, string name) =>
        new(outer, force: () =>
        {
            var prefix = ComposeLoader.Sanitize(name);
            foreach (var copy in store.Names().Where(n => n == prefix || (n.StartsWith(prefix + "-", StringComparison.Ordinal) && n[(prefix.Length + 1)..].All(char.IsAsciiDigit))))
            {
                if (store.Read(copy) is { } state && state.Owner.Pid == System.Environment.ProcessId)
                {
                    ForceKill(store, copy);
                }
            }
        });

    public CancellationToken Token => _cts.Token;

    public PosixSignal? Received { get; private set; }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Received ??= context.Signal;
        if (Interlocked.Increment(ref _count) == 1)
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                try
                {
                    _cts.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The command finished while the signal was being delivered.
                }
            }
            return;
        }
        Console.Error.WriteLine("replica: second signal: killing everything now");
        _force?.Invoke();
        System.Environment.Exit(ExitCodes.Interrupted);
    }

    /// <summary>Second signal: no grace, kill what the state file lists (and remove its containers).</summary>
    private static void ForceKill(StateStore store, string name)
    {
        if (store.Read(name) is { } state)
        {
            foreach (var process in state.Processes)
            {
                OrphanReaper.Kill(process);
            }
            // Bounded: an engine that does not answer leaves them to the sweep at the next start.
            DockerLeftovers.RemoveAsync(state, CancellationToken.None).Wait(TimeSpan.FromSeconds(10));
        }
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _disposed, 1);
        foreach (var r in _registrations)
        {
            r.Dispose();
        }
        _cts.Dispose();
    }
}
