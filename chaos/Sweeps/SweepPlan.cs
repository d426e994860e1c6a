using Replica.Chaos.Scenarios;
using Replica.Environments.Compose;
using Replica.Environments.Errors;

namespace Replica.Chaos.Sweeps;

/// <summary>
/// A sweep checked against its scenario, before anything starts: every path resolved, every range read as the path's
/// kind, the scenario loaded at every value the sweep will try first (so a value that makes a step impossible fails
/// now), the variants and the expectations known.
/// </summary>
public sealed record SweepPlan(
    Scenario Scenario,
    string? Name,
    string? Description,
    SweepScenarios Scenarios,
    IReadOnlyList<ScenarioVariant> Variants,
    int Runs,
    IReadOnlyList<SweepExpectation> Expectations)
{
    /// <summary>Runs per value in the first round when not given (4 is the fewest whose 95 % interval can lie wholly on one side of 50 %: 0/4 → at most 49 %).</summary>
    public const int DefaultRuns = 4;

    public IReadOnlyList<SweepAxis> Axes => Scenarios.Axes;

    /// <summary>What the first axis means in words (a sweep's <c>label:</c>); null: the path says it.</summary>
    public string? Label { get; init; }

    /// <summary>Whether the first axis is refined adaptively (one axis, <c>auto:</c>).</summary>
    public bool Adaptive => Axes.Count == 1 && Axes[0].Range.Adaptive;

    /// <summary>The points of the first round: every combination of the axes' first values.</summary>
    public IReadOnlyList<IReadOnlyList<double>> FirstPoints =>
        Axes.Count == 1
            ? Axes[0].Range.Values.Select(v => (IReadOnlyList<double>)[v]).ToList()
            : Axes[0].Range.Values.SelectMany(x => Axes[1].Range.Values.Select(y => (IReadOnlyList<double>)[x, y])).ToList();

    public static SweepPlan Create(YamlFile file, string? composeFile, Scenario scenario, SweepDefinition definition, string? variantsFlag)
    {
        if (definition.Varies.Count == 0)
        {
            throw new ReplicaException("sweep: what to vary? give --vary PATH=RANGE (e.g. --vary timeline[3].after=auto:0ms..2s) or a sweep's name",
                kind: ReplicaErrorKind.BadInput);
        }
        if (definition.Varies.Count > 2)
        {
            throw new ReplicaException($"{definition.Varies[2].Where}: at most two --vary (a curve, or a heatmap)", kind: ReplicaErrorKind.BadInput);
        }
        var axes = new List<SweepAxis>();
        foreach (var vary in definition.Varies)
        {
            var path = SweepPath.Parse(vary.Path, vary.Where);
            var target = SweepPathResolver.Resolve(file, path, vary.Where);
            var range = SweepRange.Parse(vary.Range, target.Kind, vary.Where);
            if (axes.Any(a => a.Target.Location == target.Location && a.Target.Key == target.Key))
            {
                throw new ReplicaException($"{vary.Where}: {path.Text} is varied twice", kind: ReplicaErrorKind.BadInput);
            }
            axes.Add(new SweepAxis(path, target, range));
        }
        var held = new List<(SweepTarget, double, SweepValueKind)>();
        foreach (var set in definition.Sets)
        {
            var target = SweepPathResolver.Resolve(file, SweepPath.Parse(set.Path, set.Where), set.Where);
            if (!SweepValues.TryParse(set.Range, target.Kind, out var value, out var kind, out var error))
            {
                throw new ReplicaException($"{set.Where}: {set.Path}: {error}", kind: ReplicaErrorKind.BadInput);
            }
            held.Add((target, value, kind));
        }
        var scenarios = new SweepScenarios(file, composeFile, axes, held);
        var plan = new SweepPlan(scenario, definition.Name, definition.Description, scenarios,
            SelectVariants(scenario, variantsFlag is null ? definition.Variants : variantsFlag.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
            definition.Runs ?? DefaultRuns,
            ReadExpectations(definition, scenario, axes[0]))
        {
            Label = definition.Label,
        };
        if (plan.Runs < 1)
        {
            throw new ReplicaException($"--runs: expected at least 1, found {plan.Runs}", kind: ReplicaErrorKind.BadInput);
        }
        foreach (var point in plan.FirstPoints)
        {
            scenarios.At(point, string.Join("; ", definition.Varies.Select(v => v.Where)));
        }
        return plan;
    }

    private static IReadOnlyList<ScenarioVariant> SelectVariants(Scenario scenario, IReadOnlyList<string>? names) =>
        names is null or { Count: 0 } ? scenario.Variants : names.Select(scenario.Variant).ToList();

    private static IReadOnlyList<SweepExpectation> ReadExpectations(SweepDefinition definition, Scenario scenario, SweepAxis axis)
    {
        var result = new List<SweepExpectation>();
        foreach (var e in definition.Expectations)
        {
            if (scenario.Variants.All(v => v.Name != e.Variant))
            {
                throw new ReplicaException($"{e.Where}: no variant '{e.Variant}'{KeySuggestion.For(e.Variant, scenario.Variants.Select(v => v.Name))}", kind: ReplicaErrorKind.BadInput);
            }
            var text = $"{e.Key}: {e.Value}";
            switch (e.Key)
            {
                case "boundary_at_least" or "boundary_at_most":
                    if (!SweepValues.TryParse(e.Value, axis.Kind, out var value, out _, out var error))
                    {
                        throw new ReplicaException($"{e.Where}: {error} ({axis.Path.Text} is a {axis.Kind.ToString().ToLowerInvariant()})", kind: ReplicaErrorKind.BadInput);
                    }
                    result.Add(new SweepExpectation(e.Variant, e.Key == "boundary_at_least" ? SweepExpectationKind.BoundaryAtLeast : SweepExpectationKind.BoundaryAtMost, value, null, text));
                    break;
                case "same_boundary_as":
                    if (scenario.Variants.All(v => v.Name != e.Value))
                    {
                        throw new ReplicaException($"{e.Where}: no variant '{e.Value}'", kind: ReplicaErrorKind.BadInput);
                    }
                    result.Add(new SweepExpectation(e.Variant, SweepExpectationKind.SameBoundaryAs, 0, e.Value, text));
                    break;
                case "no_boundary":
                    if (e.Value is not ("true" or "false"))
                    {
                        throw new ReplicaException($"{e.Where}: expected true or false, found '{e.Value}'", kind: ReplicaErrorKind.BadInput);
                    }
                    if (e.Value == "true")
                    {
                        result.Add(new SweepExpectation(e.Variant, SweepExpectationKind.NoBoundary, 0, null, text));
                    }
                    break;
                case "max_failures":
                    if (!int.TryParse(e.Value, out var count) || count < 0)
                    {
                        throw new ReplicaException($"{e.Where}: expected a whole number from 0, found '{e.Value}'", kind: ReplicaErrorKind.BadInput);
                    }
                    result.Add(new SweepExpectation(e.Variant, SweepExpectationKind.MaxFailures, count, null, text));
                    break;
            }
        }
        return result;
    }
}
