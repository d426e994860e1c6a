namespace Replica.Cli.Control;

/// <summary>
/// An error as the control API answers it: the message, an optional hint, and the kind
/// (<see cref="Replica.Environments.Errors.ReplicaErrorKind"/>'s name as written, "BadInput") that the CLI turns into
/// its exit code.
/// </summary>
internal sealed record ControlError(string Error, string? Hint, string Kind);
