namespace Replica.Environments.Hosting;

/// <summary>Something that happened to the environment or one of its services, for progress display and timelines.</summary>
public sealed record EnvironmentEvent(DateTimeOffset At, string? Service, EnvironmentEventKind Kind, string Message);
