using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Replica.Proxy.Tcp.Network.Timing;

namespace Replica.Proxy.Tcp.Network;

/// <summary>
/// When bytes reached the proxy by the kernel's clock, not when the proxy's code got round to reading them. A socket
/// with SO_TIMESTAMPNS on has every segment stamped as it is received, and <c>recvmsg</c> hands the stamp back beside
/// the bytes. A latency toxic counts its delay from that stamp, so the thread-pool wake-up between the socket and the
/// link's code (tens of microseconds, a millisecond or more when the machine is busy) is part of the delay instead of
/// being added to it. Linux on 64-bit processes only; elsewhere <see cref="TryEnable"/> says no and the link stamps
/// chunks when it reads them, as before. The kernel turns its stamping on a moment after the first socket asks (and
/// off after the last one closes), so bytes that arrive in that moment come without a stamp.
/// </summary>
internal static unsafe class KernelArrivalTime
{
    private const int SolSocket = 1;
    private const int SoTimestampNs = 35; // SO_TIMESTAMPNS, which is also the control message's type (SCM_TIMESTAMPNS)
    private const int MsgDontWait = 0x40;
    private const int EIntr = 4;
    private const int EAgain = 11;
    private const int EConnReset = 104;
    private const int ControlSize = 64; // CMSG_SPACE(sizeof(struct timespec)) is 32
    private static readonly bool Supported = OperatingSystem.IsLinux() && Environment.Is64BitProcess
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    // Stamps older than this are not believed: the wall clock was stepped between the stamp and the read.
    private const long MaxAgeNanoseconds = 10_000_000_000;

    /// <summary>Asks the kernel to stamp what <paramref name="socket"/> receives; false where it cannot.</summary>
    public static bool TryEnable(Socket socket)
    {
        if (!Supported)
        {
            return false;
        }
        try
        {
            socket.SetRawSocketOption(SolSocket, SoTimestampNs, BitConverter.GetBytes(1));
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or PlatformNotSupportedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads what is waiting on <paramref name="socket"/> (a socket <see cref="TryEnable"/> said yes to) without
    /// blocking. Returns the byte count, 0 at the end of the stream, or −1 when nothing is waiting; an error is a
    /// <see cref="SocketException"/>. <paramref name="arrival"/> is the kernel's stamp of the bytes as a
    /// <see cref="Stopwatch"/> timestamp; null when the kernel gave none.
    /// </summary>
    public static int Receive(Socket socket, byte[] buffer, out long? arrival)
    {
        var control = stackalloc byte[ControlSize];
        var handle = socket.SafeHandle;
        var added = false;
        try
        {
            // Held while the descriptor is in use, so a socket closed meanwhile cannot hand its number to another.
            handle.DangerousAddRef(ref added);
            long received;
            MessageHeader message;
            fixed (byte* data = buffer)
            {
                var vector = new IoVector { Base = data, Length = (nuint)buffer.Length };
                do
                {
                    message = new MessageHeader { Vectors = &vector, VectorCount = 1, Control = control, ControlLength = ControlSize };
                    received = recvmsg((int)handle.DangerousGetHandle(), &message, MsgDontWait);
                }
                while (received < 0 && Marshal.GetLastPInvokeError() == EIntr);
            }
            // Both clocks read back to back, the wall clock first: a pause between the two reads (a preemption, the
            // first call's compilation) then makes the stamp late by that pause, never early.
            var wallNow = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
            var now = Stopwatch.GetTimestamp();
            arrival = null;
            if (received < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error == EAgain)
                {
                    return -1;
                }
                throw new SocketException((int)(error == EConnReset ? SocketError.ConnectionReset : SocketError.SocketError));
            }
            if (received > 0 && StampOf(control, (long)message.ControlLength) is { } stamp)
            {
                arrival = ToStopwatch(stamp, wallNow, now);
            }
            return (int)received;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>The SCM_TIMESTAMPNS stamp in a control buffer, in nanoseconds since the Unix epoch.</summary>
    private static long? StampOf(byte* control, long length)
    {
        var offset = 0L;
        while (offset + sizeof(ControlHeader) <= length)
        {
            var header = (ControlHeader*)(control + offset);
            if ((long)header->Length < sizeof(ControlHeader))
            {
                return null;
            }
            if (header->Level == SolSocket && header->Type == SoTimestampNs && (long)header->Length >= sizeof(ControlHeader) + 2 * sizeof(long))
            {
                var time = (long*)(control + offset + sizeof(ControlHeader));
                return time[0] * 1_000_000_000 + time[1];
            }
            offset += ((long)header->Length + 7) & ~7L;
        }
        return null;
    }

    /// <summary>
    /// A wall-clock stamp as a Stopwatch timestamp: its age at <paramref name="wallNow"/>, taken off
    /// <paramref name="now"/>; null for a stamp from the future or older than the wall clock can be trusted over.
    /// </summary>
    private static long? ToStopwatch(long stampNanoseconds, long wallNow, long now)
    {
        var age = wallNow - stampNanoseconds;
        if (age < 0 || age > MaxAgeNanoseconds)
        {
            return null;
        }
        return now - StopwatchTicks.FromNanoseconds(age);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    // struct msghdr on 64-bit Linux.
    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    // struct cmsghdr on 64-bit Linux; the data follows at 16 bytes.
    [StructLayout(LayoutKind.Sequential)]
    private struct ControlHeader
    {
        public nuint Length;
        public int Level;
        public int Type;
    }

    [DllImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    private static extern long recvmsg(int socket, MessageHeader* message, int flags);
}
