namespace Replica.Chaos.Scenarios.Steps;

/// <summary>Every kind of timeline step, in the order the docs list them. A new kind is one file and one line here.</summary>
public static class StepKinds
{
    public static IReadOnlyList<StepKind> All { get; } =
    [
        ToxicStep.Kind,
        DependencyDownStep.Kind,
        EdgeRuleStep.Kind,
        StartStep.Kind,
        StopStep.Kind,
        RestartStep.Kind,
        KillStep.Kind,
        PauseStep.Kind,
        ResumeStep.Kind,
        AwaitStep.Kind,
        RemoveStep.Kind,
        ProbeStep.Kind,
    ];

    /// <summary>The keys, as a scenario writes them.</summary>
    public static IReadOnlyList<string> Keys { get; } = [.. All.Select(k => k.Key)];

    public static StepKind? Find(string key) => All.FirstOrDefault(k => k.Key == key);
}
