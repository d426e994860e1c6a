namespace Replica.Environments.Errors;

/// <summary>
/// An error a user can act on: the message names the file, line, field, service or port concerned and what was
/// expected; <see cref="Hint"/> says how to fix it. The CLI prints it without a stack trace.
/// </summary>
public class ReplicaException : Exception
{
    public ReplicaException(string message, int exitCode = 1, string? hint = null, Exception? inner = null)
        : base(message, inner)
    {
        ExitCode = exitCode;
        Hint = hint;
    }

    /// <summary>The process exit code the CLI uses: 1 failure, 2 bad input, 3 missing prerequisite.</summary>
    public int ExitCode { get; }

    public string? Hint { get; }
}
