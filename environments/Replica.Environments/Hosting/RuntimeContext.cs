using Replica.Environments.Processes;

namespace Replica.Environments.Hosting;

/// <summary>What an environment hands the runtime it creates.</summary>
public sealed record RuntimeContext(
    string EnvironmentName,
    string WorkDirectory,
    string LogDirectory,
    Action<string, ProcessIdentity> ProcessStarted,
    Action<string> Progress);
