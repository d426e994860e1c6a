using System.Text.Json.Nodes;

namespace Replica.Staging.Backend.Agents;

/// <summary>
/// The tools an agent run calls. The reference backend has one, deterministic and local — it stands in for staging's
/// LLM-backed tools, whose content does not matter to the races being reproduced.
/// </summary>
public sealed class ToolDispatcher
{
    public const string DataAnalyzer = "data_analyzer";

    public JsonObject Execute(string tool, string query)
    {
        if (tool != DataAnalyzer)
        {
            throw new ArgumentException($"unknown tool '{tool}'", nameof(tool));
        }
        var words = query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var keywords = words
            .Select(w => w.Trim('.', ',', ';', ':', '!', '?', '"', '\'').ToLowerInvariant())
            .Where(w => w.Length > 3)
            .GroupBy(w => w)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(3)
            .Select(g => (JsonNode?)JsonValue.Create(g.Key))
            .ToArray();
        return new JsonObject
        {
            ["word_count"] = words.Length,
            ["character_count"] = query.Length,
            ["keywords"] = new JsonArray(keywords),
        };
    }
}
