namespace Replica.Environments.Runtimes.Process;

/// <summary>The configuration .NET services are run in: the one Replica itself was built with, unless REPLICA_CONFIGURATION says otherwise.</summary>
public static class BuildConfiguration
{
    public static string Current =>
        System.Environment.GetEnvironmentVariable("REPLICA_CONFIGURATION") is { Length: > 0 } c ? c :
#if DEBUG
        "Debug";
#else
        "Release";
#endif
}
