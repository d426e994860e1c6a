using Replica.Environments.Hosting;

namespace Replica.Cli.Control;

/// <summary>An environment's event (a service starting, healthy, stopped…) as the live feed carries it: its kind in lower case.</summary>
internal sealed record EnvironmentEventView(DateTimeOffset At, string? Service, string Kind, string Message)
{
    public static EnvironmentEventView Of(EnvironmentEvent e) => new(e.At, e.Service, e.Kind.ToString().ToLowerInvariant(), e.Message);
}
