namespace Replica.Environments.Errors;

/// <summary>
/// An error a user can act on: the message names the file, line, field, service or port concerned and what was
/// expected; <see cref="Hint"/> says how to fix it; <see cref="Kind"/> says what kind of thing went wrong. The CLI
/// prints it without a stack trace.
/// </summary>
public class ReplicaException : Exception
{
    public ReplicaException(string message, ReplicaErrorKind kind = ReplicaErrorKind.Failure, string? hint = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Hint = hint;
    }

    /// <summary>What went wrong: bad input, a missing prerequisite, a failure of the job itself, an interruption.</summary>
    public ReplicaErrorKind Kind { get; }

    public string? Hint { get; }
}
