using Replica.Environments.Errors;
using Replica.Proxy.Edge.Client;
using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Client;
using Replica.Proxy.Tcp.Configuration;

namespace Replica.Cli;

/// <summary>
/// Process exit codes shared by every command, and the one place an error becomes one: the libraries say what went
/// wrong (a <see cref="ReplicaErrorKind"/>, an HTTP status), never which code the process exits with. README.md's
/// exit-code table lists the same codes (a test holds them to it).
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
    /// <summary>Stopped by Ctrl+C or SIGTERM: 128 + SIGINT, as shells report it.</summary>
    public const int Interrupted = 130;

    /// <summary>The exit code for an error of this kind.</summary>
    public static int For(ReplicaErrorKind kind) => kind switch
    {
        ReplicaErrorKind.Failure => Failure,
        ReplicaErrorKind.BadInput => BadInput,
        ReplicaErrorKind.MissingPrerequisite => Prerequisite,
        ReplicaErrorKind.Interrupted => Interrupted,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "an error kind without an exit code"),
    };

    /// <summary>
    /// The exit code for an error a user can act on, with the line to print and the hint to print under it; null for
    /// any other exception (a bug: it keeps its stack trace).
    /// </summary>
    public static (int ExitCode, string Message, string? Hint)? For(Exception error) => error switch
    {
        ReplicaException e => (For(e.Kind), e.Message, e.Hint),
        // The TCP proxy's API: 4xx is a request that cannot be carried out as asked; 5xx is the machine refusing
        // (a port in use, an address that does not resolve).
        ToxiproxyException e => (e.StatusCode >= 500 ? Prerequisite : BadInput, e.Message, e.Hint),
        ToxiproxyUnavailableException e => (Prerequisite, e.Message, e.Hint),
        ProxyConfigException e => (e.StatusCode >= 500 ? Prerequisite : BadInput, e.Message, e.Hint),
        // The edge proxy's admin API: a rule it refuses (400) or one that clashes (409) is bad input; anything else,
        // an API that did not answer included, is a failure.
        EdgeProxyAdminException e => (e.Status is 400 or 409 ? BadInput : Failure, e.Message, e.Status switch
        {
            null => "is `replica proxy` running, and is this its admin URL?",
            401 => $"pass --admin-token or set {Commands.FaultCommand.AdminTokenVariable}",
            _ => null,
        }),
        OperationCanceledException => (Interrupted, "interrupted", null),
        _ => null,
    };
}
