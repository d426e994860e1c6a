using System.Net.Sockets;

namespace Replica.Tests.Support;

/// <summary>What reading until the end gave: the bytes, and how it ended (Success for EOF, ConnectionReset for a RST).</summary>
public sealed record ReadOutcome(byte[] Data, SocketError Ending);
