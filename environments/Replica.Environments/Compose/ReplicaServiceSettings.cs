namespace Replica.Environments.Compose;

/// <summary>
/// What only Replica needs about a service, read from its `x-replica:` block. Docker ignores it.
/// </summary>
/// <param name="Kind">How the process runtime runs it.</param>
/// <param name="Command">For <see cref="ServiceKind.Process"/>: the command line (first element the program).</param>
/// <param name="DotnetProject">For <see cref="ServiceKind.Process"/>: a .csproj whose built output is run with `dotnet`.</param>
/// <param name="Environment">Extra settings for the process runtime only; `{port}` / `{port:N}` expand to the
/// host port bound for the first / container port N.</param>
/// <param name="Health">The health check; <see cref="HealthCheckSpec.None"/> when the service has none.</param>
/// <param name="StartTimeout">How long `up` waits for the service to be healthy.</param>
public sealed record ReplicaServiceSettings(
    ServiceKind Kind,
    IReadOnlyList<string>? Command,
    string? DotnetProject,
    IReadOnlyDictionary<string, string> Environment,
    HealthCheckSpec Health,
    TimeSpan StartTimeout);
