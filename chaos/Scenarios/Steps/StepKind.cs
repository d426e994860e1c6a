namespace Replica.Chaos.Scenarios.Steps;

/// <summary>
/// One kind of timeline step as a scenario file writes it: its key (<c>toxic:</c>, <c>restart:</c>…), what it does (the
/// docs' table of steps), whether <c>for:</c> can undo it and whether it takes <c>wait:</c>, and how it is read. Every
/// kind is registered once in <see cref="StepKinds"/>; the loader, the JSON Schema and the docs follow that list.
/// </summary>
/// <param name="Key">The step's key in the file.</param>
/// <param name="Value">What the key's value is, for the docs (e.g. "SERVICE").</param>
/// <param name="Summary">One sentence: what the step does.</param>
/// <param name="TimedUndo">Whether <c>for: DURATION</c> may undo it.</param>
/// <param name="Waits">The values its <c>wait:</c> takes, the default first; empty when it takes none.</param>
/// <param name="Read">Reads and checks the step at <see cref="StepReadContext.Path"/>; null when it has problems (reported on the context).</param>
public sealed record StepKind(string Key, string Value, string Summary, bool TimedUndo, IReadOnlyList<string> Waits, Func<StepReadContext, TimelineStep?> Read)
{
    /// <summary>What a start, restart or await step's <c>wait:</c> takes (<see cref="ServiceWait"/>).</summary>
    public static IReadOnlyList<string> ServiceWaits { get; } = ["healthy", "listening", "started"];

    /// <summary>For a step that takes no <c>wait:</c>.</summary>
    public static IReadOnlyList<string> NoWait { get; } = [];
}
