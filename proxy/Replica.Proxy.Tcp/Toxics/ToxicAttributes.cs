using System.Collections;
using System.Collections.Immutable;

namespace Replica.Proxy.Tcp.Toxics;

/// <summary>
/// The validated attributes of a toxic, every attribute of its type present, in the order the API prints them.
/// Values are <see cref="long"/> for integer attributes and <see cref="string"/> for text ones.
/// </summary>
public sealed class ToxicAttributes : IReadOnlyList<KeyValuePair<string, object>>
{
    private readonly ImmutableArray<KeyValuePair<string, object>> values;

    internal ToxicAttributes(ImmutableArray<KeyValuePair<string, object>> values)
    {
        this.values = values;
    }

    public int Count => values.Length;

    public KeyValuePair<string, object> this[int index] => values[index];

    public long GetInteger(string name) => (long)Get(name);

    public string GetText(string name) => (string)Get(name);

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object>>)values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(" ", values.Select(v => $"{v.Key}={v.Value}"));

    internal ToxicAttributes With(int index, object value) => new(values.SetItem(index, new(values[index].Key, value)));

    private object Get(string name)
    {
        foreach (var pair in values)
        {
            if (pair.Key == name)
            {
                return pair.Value;
            }
        }
        throw new KeyNotFoundException($"toxic has no attribute {name}");
    }
}
