using System.Text.Json.Nodes;
using Replica.Proxy.Edge.Faults.Parsing;

namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>The kind of the actions of type <typeparamref name="TAction"/>: how their body is read and written.</summary>
public sealed class FaultActionKind<TAction> : FaultActionKind where TAction : FaultAction
{
    private readonly Func<JsonObjectReader, TAction?> _read;
    private readonly Func<TAction, JsonObject> _write;

    /// <param name="read">Reads the body's declared fields; records errors on the reader and returns null when one is wrong.</param>
    /// <param name="write">Writes the body so that <paramref name="read"/> gives back an equal action.</param>
    internal FaultActionKind(string name, IReadOnlyList<FaultActionField> fields, Func<JsonObjectReader, TAction?> read, Func<TAction, JsonObject> write)
        : base(name, typeof(TAction), fields)
    {
        _read = read;
        _write = write;
    }

    private protected override FaultAction? ReadBody(JsonObjectReader body) => _read(body);

    internal override JsonObject Write(FaultAction action) => _write((TAction)action);
}
