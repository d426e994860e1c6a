namespace Replica.Environments.Processes;

/// <summary>
/// The host ports this process has given to services of environments that are still up, whether or not anything
/// holds them at this moment. A reservation can hold a port only while nothing else listens on it: the docker runtime
/// lets go of a container's ports just before the engine binds them, and a stopped or restarting container holds
/// none. In those gaps the kernel may hand the same port to the next bind to port 0 — another copy of the same
/// `verify` picking ports for its own services — and the engine then refuses one of the two containers ("port is
/// already allocated"). <see cref="PortReservation.Ephemeral(string)"/> passes over these ports.
/// </summary>
public static class AssignedPorts
{
    private static readonly Dictionary<int, int> Counts = [];

    public static void Assign(int port)
    {
        lock (Counts)
        {
            Counts[port] = Counts.GetValueOrDefault(port) + 1;
        }
    }

    public static void Unassign(int port)
    {
        lock (Counts)
        {
            if (Counts.TryGetValue(port, out var count))
            {
                if (count <= 1)
                {
                    Counts.Remove(port);
                }
                else
                {
                    Counts[port] = count - 1;
                }
            }
        }
    }

    public static bool Contains(int port)
    {
        lock (Counts)
        {
            return Counts.ContainsKey(port);
        }
    }
}
