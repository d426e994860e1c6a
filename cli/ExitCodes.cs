using Replica.Environments.Errors;
using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Client;
using Replica.Proxy.Tcp.Configuration;

namespace Replica.Cli;

/// <summary>
/// Process exit codes shared by every command, and the one place an error becomes one: the libraries say what went
/// wrong (an error kind, an HTTP status), never which code the process exits with.
/// </summary>
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

    /// <summary>
    /// The exit code for an error a user can act on, with the hint to print under its message; null for any other
    /// exception (a bug: it keeps its stack trace).
    /// </summary>
    public static (int ExitCode, string? Hint)? For(Exception error) => error switch
    {
        ReplicaException e => (e.ExitCode, e.Hint),
        // The TCP proxy's API: 4xx is a request that cannot be carried out as asked; 5xx is the machine refusing
        // (a port in use, an address that does not resolve).
        ToxiproxyException e => (e.StatusCode >= 500 ? Prerequisite : BadInput, e.Hint),
        ToxiproxyUnavailableException e => (Prerequisite, e.Hint),
        ProxyConfigException e => (e.StatusCode >= 500 ? Prerequisite : BadInput, e.Hint),
        _ => null,
    };
}
