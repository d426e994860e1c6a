using System.Text.RegularExpressions;
using Replica.Environments.Errors;

namespace Replica.Chaos.Sweeps;

/// <summary>
/// One value of a scenario, named in the file's own terms: keys joined by dots, a timeline step by its
/// <c>name:</c> or its position (<c>timeline[3]</c>, counted from 0). Examples: <c>timeline[3].after</c>,
/// <c>timeline.redis-not-ready.toxic.attributes.delay</c>, <c>settings.backend.REDIS_READY_TIMEOUT</c> (every
/// variant that does not set it itself), <c>variants.fixed.settings.backend.REDIS_READY_TIMEOUT</c> (one variant).
/// </summary>
public sealed partial record SweepPath(string Text, IReadOnlyList<string> Segments)
{
    /// <summary>The parts of a scenario a sweep may vary.</summary>
    public static readonly IReadOnlyList<string> Roots = ["timeline", "settings", "variants", "probes"];

    public static SweepPath Parse(string text, string where)
    {
        var segments = new List<string>();
        foreach (var part in text.Trim().Split('.'))
        {
            var match = SegmentPattern().Match(part);
            if (!match.Success)
            {
                throw new ReplicaException($"{where}: bad path '{text}': '{part}' is not a key or key[N]", kind: ReplicaErrorKind.BadInput,
                    hint: "e.g. timeline[3].after, timeline.redis-not-ready.for, settings.backend.REDIS_READY_TIMEOUT");
            }
            if (match.Groups["key"].Value.Length > 0)
            {
                segments.Add(match.Groups["key"].Value);
            }
            foreach (Capture index in match.Groups["index"].Captures)
            {
                segments.Add($"[{index.Value}]");
            }
        }
        if (segments.Count < 2)
        {
            throw new ReplicaException($"{where}: bad path '{text}': name a value inside {string.Join(", ", Roots)}, e.g. timeline[3].after", kind: ReplicaErrorKind.BadInput);
        }
        return new SweepPath(text.Trim(), segments);
    }

    /// <summary>The key the value sits under (its last segment).</summary>
    public string Leaf => Segments[^1];

    public override string ToString() => Text;

    [GeneratedRegex(@"^(?<key>[A-Za-z0-9_\-]*)(\[(?<index>[0-9]+)\])*$")]
    private static partial Regex SegmentPattern();
}
