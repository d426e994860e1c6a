using System.Collections.Immutable;
using Replica.Proxy.Tcp.Links;

namespace Replica.Proxy.Tcp.Toxics;

/// <summary>
/// A toxic type: its name in the API, its attributes, and how it builds its stage on a link. Each toxic file
/// declares one as a static <c>Kind</c>; <see cref="ToxicKinds"/> lists them.
/// </summary>
/// <param name="CreateStage">Builds the stage for one link, or null when the toxic does not act on the byte stream.</param>
internal sealed record ToxicKind(string Name, ImmutableArray<ToxicAttributeSpec> Attributes, Func<Toxic, Link, LinkToxicState, ToxicStage?> CreateStage)
{
    /// <summary>A rule across attributes; returns the error message, or null when the attributes are valid.</summary>
    public Func<ToxicAttributes, string?>? Check { get; init; }

    public ToxicAttributes Defaults => new([.. Attributes.Select(a => new KeyValuePair<string, object>(a.Name, a.Default))]);

    /// <summary>
    /// Overlays <paramref name="changes"/> on <paramref name="current"/>: names match case-insensitively, unknown names
    /// are ignored, null keeps the current value. Validates everything before returning, so a bad value changes nothing.
    /// </summary>
    public ToxicAttributes Apply(ToxicAttributes current, IReadOnlyDictionary<string, object?>? changes)
    {
        if (changes is null)
        {
            return current;
        }
        var result = current;
        foreach (var (key, value) in changes)
        {
            var index = IndexOf(key);
            if (index >= 0 && value is not null)
            {
                result = result.With(index, Attributes[index].Convert(Name, value));
            }
        }
        var error = Check?.Invoke(result);
        return error is null ? result : throw ToxiproxyException.BadRequest(error);
    }

    private int IndexOf(string key)
    {
        for (var i = 0; i < Attributes.Length; i++)
        {
            if (string.Equals(Attributes[i].Name, key, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }
}
