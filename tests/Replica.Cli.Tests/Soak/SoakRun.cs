namespace Replica.Cli.Tests.Soak;

/// <summary>One client run of the soak: what it was, when it ran (from the soak's start) and how it failed, if it did.</summary>
public sealed record SoakRun(string Kind, TimeSpan Start, TimeSpan End, string? Failure)
{
    public bool Failed => Failure is not null;
}
