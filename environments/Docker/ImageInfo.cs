namespace Replica.Environments.Docker;

/// <summary>An image as inspect or list reports it; <see cref="Labels"/> carries the content-hash cache key.</summary>
public sealed record ImageInfo(string Id, IReadOnlyList<string> RepoTags, IReadOnlyDictionary<string, string> Labels);
