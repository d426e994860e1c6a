namespace Replica.Environments.Docker;

/// <summary>
/// An image ready to run: its tag and id, the content hash it was built from (null for pulled official images),
/// and whether this call built it (false: the cached image was current).
/// </summary>
public sealed record ImageBuildResult(string Tag, string Id, string? ContentHash, bool Built);
