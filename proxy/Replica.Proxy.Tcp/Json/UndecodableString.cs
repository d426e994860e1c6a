namespace Replica.Proxy.Tcp.Json;

/// <summary>
/// A JSON string (a value or a property name) that does not decode to Unicode text: where it is and why.
/// </summary>
/// <param name="Field">Dotted path of the field holding it (<c>action.abort.body.detail</c>, <c>[1].id</c>); empty at the top.</param>
/// <param name="ByteOffset">Offset in the request body of the offending byte or escape.</param>
/// <param name="Reason">What is wrong, e.g. <c>\ud800 is a lone surrogate (half of a pair), not a character</c>.</param>
public sealed record UndecodableString(string Field, long ByteOffset, string Reason)
{
    public override string ToString() => $"byte offset {ByteOffset}: {Reason}";
}
