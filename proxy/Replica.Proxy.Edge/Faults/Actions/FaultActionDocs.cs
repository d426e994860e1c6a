using System.Text;

namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>
/// RULES.md's tables of actions, written from a registry: one row per action with its JSON examples, its fields (values,
/// limits, defaults) and its effect. The tables sit between <c>&lt;!-- BEGIN generated: NAME --&gt;</c> and
/// <c>&lt;!-- END generated: NAME --&gt;</c> lines; a test fails when the file and the registry disagree.
/// </summary>
public static class FaultActionDocs
{
    /// <summary>The block of the actions on HTTP requests and WebSocket handshakes.</summary>
    public const string HttpActionsBlock = "http-actions";

    /// <summary>The block of the actions on WebSocket frames.</summary>
    public const string FrameActionsBlock = "frame-actions";

    /// <summary>The markdown table of <paramref name="kinds"/>, one row each, in order.</summary>
    public static string Table(IEnumerable<FaultActionKind> kinds)
    {
        var text = new StringBuilder();
        text.Append("| action | JSON | fields | effect |\n");
        text.Append("|---|---|---|---|\n");
        foreach (var kind in kinds)
        {
            text.Append("| ").Append(kind.Name)
                .Append(" | ").Append(string.Join("<br>", kind.Examples.Select(e => $"`{{\"{kind.Name}\":{e}}}`")))
                .Append(" | ").Append(kind.Fields.Count == 0 ? "none" : string.Join("<br>", kind.Fields.Select(f => Cell(f.Describe()))))
                .Append(" | ").Append(Cell(kind.Effect))
                .Append(" |\n");
        }
        return text.ToString();
    }

    /// <summary>
    /// <paramref name="markdown"/> with every generated block replaced by the tables of <paramref name="registry"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">a block's markers are missing.</exception>
    public static string Update(string markdown, FaultActionRegistry registry)
    {
        markdown = Replace(markdown, HttpActionsBlock, Table(registry.Kinds.Where(k => !k.ActsOnFrames)));
        return Replace(markdown, FrameActionsBlock, Table(registry.Kinds.Where(k => k.ActsOnFrames)));
    }

    private static string Replace(string markdown, string block, string content)
    {
        var begin = $"<!-- BEGIN generated: {block} (from FaultActionRegistry; edit the actions' files, not this table) -->\n";
        var end = $"<!-- END generated: {block} -->";
        var from = markdown.IndexOf(begin, StringComparison.Ordinal);
        var to = markdown.IndexOf(end, StringComparison.Ordinal);
        if (from < 0 || to < from)
        {
            throw new InvalidOperationException($"no block '{block}': expected the lines {begin.TrimEnd()} and {end}");
        }
        return string.Concat(markdown.AsSpan(0, from + begin.Length), content, markdown.AsSpan(to));
    }

    // A pipe would end the cell.
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
