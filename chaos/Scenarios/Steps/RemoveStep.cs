using Replica.Chaos.Faults;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>Undoes the earlier step named <see cref="Target"/> (removes its toxic or rule, brings its dependency back up).</summary>
public sealed record RemoveStep(StepTiming Timing, string Target) : TimelineStep(Timing)
{
    public static StepKind Kind { get; } = new("remove", "NAME", "undoes the earlier toxic, down or edge_rule step with that name",
        TimedUndo: false, Waits: StepKind.NoWait, Read);

    public override string Describe() => $"remove {Target}";

    public override async Task<FaultHandle?> ApplyAsync(StepRunContext context, CancellationToken cancellationToken)
    {
        await context.UndoAsync(Target);
        return null;
    }

    private static RemoveStep? Read(StepReadContext context)
    {
        var path = context.Path + ".remove";
        if (context.Reader.String(context.Value, path) is not { } target)
        {
            return null;
        }
        if (!context.Named.TryGetValue(target, out var undone))
        {
            context.Problem(context.Value, $"impossible timeline: {context.Path} removes '{target}', but no step above it has that name{Replica.Environments.Compose.KeySuggestion.For(target, context.Named.Keys)}");
        }
        else if (!undone.Removable)
        {
            context.Problem(context.Value, $"{path}: '{target}' is a {undone.Describe()} step; only {string.Join(", ", StepKinds.All.Where(k => k.TimedUndo && k.Value != "SERVICE").Select(k => k.Key))} steps can be removed");
        }
        else if (undone.For is not null || !context.Removed.Add(target))
        {
            context.Problem(context.Value, $"impossible timeline: {context.Path} removes '{target}', which is already undone by then");
        }
        return new RemoveStep(context.Timing, target);
    }
}
