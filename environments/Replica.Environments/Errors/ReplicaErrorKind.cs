using System.Text.Json.Serialization;
using Replica.Environments.Json;

namespace Replica.Environments.Errors;

/// <summary>
/// What kind of thing went wrong, as a user needs to know it to react. The libraries say only this; the CLI alone
/// turns a kind into a process exit code.
/// </summary>
[JsonConverter(typeof(CamelCaseEnumConverter<ReplicaErrorKind>))]
public enum ReplicaErrorKind
{
    /// <summary>The job ran and its outcome is a failure: a service unhealthy or exited, a command that failed, an expectation not met.</summary>
    Failure,

    /// <summary>
    /// What the user gave is wrong: a command-line value, a compose or scenario file, a rule, an unknown name. Raised
    /// before anything was started or changed.
    /// </summary>
    BadInput,

    /// <summary>The machine lacks something the job needs: a binary, a free port, a reachable Docker engine or SDK.</summary>
    MissingPrerequisite,

    /// <summary>The user stopped the job (Ctrl+C, SIGTERM) before it finished.</summary>
    Interrupted,
}
