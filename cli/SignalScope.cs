using System.Runtime.InteropServices;

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
