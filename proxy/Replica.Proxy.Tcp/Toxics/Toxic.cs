namespace Replica.Proxy.Tcp.Toxics;

/// <summary>A validated toxic of a proxy. Immutable: an update replaces it with a new value.</summary>
public sealed record Toxic
{
    private Toxic(string name, ToxicKind kind, string stream, ToxicDirection direction, float toxicity, ToxicAttributes attributes, long activatedAt)
    {
        Name = name;
        Kind = kind;
        Stream = stream;
        Direction = direction;
        Toxicity = toxicity;
        Attributes = attributes;
        ActivatedAt = activatedAt;
    }

    public string Name { get; }

    public string Type => Kind.Name;

    /// <summary>The stream exactly as the client wrote it ("UpStream" stays "UpStream"), as Toxiproxy echoes it.</summary>
    public string Stream { get; }

    public ToxicDirection Direction { get; }

    public float Toxicity { get; }

    public ToxicAttributes Attributes { get; }

    internal ToxicKind Kind { get; }

    /// <summary>When the toxic was created or last updated (a timestamp of the proxies' clock); startup_delay counts from here.</summary>
    internal long ActivatedAt { get; }

    /// <summary>Checks a toxic as adding it would (type, stream, toxicity, every attribute), without adding it.</summary>
    /// <exception cref="ToxiproxyException">what is wrong, in the API's words</exception>
    public static void Validate(ToxicSpec spec) => Create(spec, _ => false, activatedAt: 0);

    internal static Toxic Create(ToxicSpec spec, Func<string, bool> nameTaken, long activatedAt)
    {
        var stream = spec.Stream ?? "downstream";
        if (!TryParseStream(stream, out var direction))
        {
            throw ToxiproxyException.BadRequest("stream was invalid, can be either upstream or downstream");
        }
        var name = string.IsNullOrEmpty(spec.Name) ? $"{spec.Type}_{stream}" : spec.Name;
        Proxies.ResourceName.Check(name, "toxic");
        var kind = ToxicKinds.Find(spec.Type) ?? throw ToxiproxyException.BadRequest("invalid toxic type");
        if (nameTaken(name))
        {
            throw new ToxiproxyException(409, "toxic already exists");
        }
        var attributes = kind.Apply(kind.Defaults, spec.Attributes);
        return new Toxic(name, kind, stream, direction, spec.Toxicity ?? 1f, attributes, activatedAt);
    }

    /// <summary>The same toxic with attributes merged and toxicity replaced; the clock of startup_delay restarts at <paramref name="now"/>.</summary>
    internal Toxic Apply(ToxicUpdate update, long now) =>
        new(Name, Kind, Stream, Direction, update.Toxicity ?? Toxicity, Kind.Apply(Attributes, update.Attributes), now);

    /// <summary>The same toxic as if created at <paramref name="now"/> (a declared toxic restored by reset).</summary>
    internal Toxic Reactivated(long now) => new(Name, Kind, Stream, Direction, Toxicity, Attributes, now);

    internal static bool TryParseStream(string stream, out ToxicDirection direction)
    {
        if (string.Equals(stream, "upstream", StringComparison.OrdinalIgnoreCase))
        {
            direction = ToxicDirection.Upstream;
            return true;
        }
        direction = ToxicDirection.Downstream;
        return string.Equals(stream, "downstream", StringComparison.OrdinalIgnoreCase);
    }
}
