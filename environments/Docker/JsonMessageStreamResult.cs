namespace Replica.Environments.Docker;

/// <summary>
/// The outcome of a build or pull stream: the built image id (<c>aux.ID</c>), the error the engine reported
/// inside its 200 answer, and the last lines of output (the failing step's own words).
/// </summary>
public sealed record JsonMessageStreamResult(string? ImageId, string? Error, IReadOnlyList<string> LastLines);
