using System.Text;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>The docs' table of timeline steps, written from <see cref="StepKinds"/> (docs/scenario-steps.md holds it; a test keeps the two the same).</summary>
public static class StepKindsTable
{
    public static string Markdown()
    {
        var text = new StringBuilder();
        text.Append("| step | value | what it does | `for:` undoes it | `wait:` |\n");
        text.Append("|---|---|---|---|---|\n");
        foreach (var kind in StepKinds.All)
        {
            text.Append($"| `{kind.Key}` | {kind.Value} | {kind.Summary} | {(kind.TimedUndo ? "yes" : "")} | {string.Join(", ", kind.Waits)} |\n");
        }
        return text.ToString();
    }
}
