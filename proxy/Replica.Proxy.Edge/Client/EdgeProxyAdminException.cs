using Replica.Proxy.Edge.Faults.Parsing;

namespace Replica.Proxy.Edge.Client;

/// <summary>The admin API refused a request or could not be reached. <see cref="Errors"/> lists rule errors by field.</summary>
public sealed class EdgeProxyAdminException(string message, int? status = null, IReadOnlyList<RuleError>? errors = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The HTTP status, or null when the API was not reached.</summary>
    public int? Status { get; } = status;

    public IReadOnlyList<RuleError> Errors { get; } = errors ?? [];
}
