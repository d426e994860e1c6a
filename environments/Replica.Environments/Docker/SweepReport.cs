namespace Replica.Environments.Docker;

/// <summary>What a sweep removed, and what it could not remove and why.</summary>
public sealed record SweepReport(
    IReadOnlyList<string> RemovedContainers,
    IReadOnlyList<string> RemovedNetworks,
    IReadOnlyList<string> RemovedImages,
    IReadOnlyList<string> Failures);
