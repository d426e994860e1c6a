namespace Replica.Cli;

/// <summary>Process exit codes shared by every command.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The job ran and its outcome is a failure (unhealthy service, expectation not met).</summary>
    public const int Failure = 1;
    /// <summary>Bad input: usage, a configuration or scenario file, a rule. Nothing was started or changed.</summary>
    public const int BadInput = 2;
    /// <summary>The machine lacks something: a binary, a free port, a Docker engine.</summary>
    public const int Prerequisite = 3;
    public const int Interrupted = 130;
}
