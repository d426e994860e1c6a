namespace Replica.Environments.Docker;

/// <summary>
/// Configures Testcontainers for the local engine before its first use: the engine's API version when it is older
/// than the one Testcontainers asks for, Ryuk disabled and the host address 127.0.0.1 — each only when not set
/// already. Minimal stand-in, through Testcontainers' environment variables (read once, when it first starts).
/// </summary>
public static class TestcontainersConfiguration
{
    /// <summary>The API version Testcontainers 4.17 asks for unless told otherwise.</summary>
    private static readonly Version TestcontainersApiVersion = new(1, 44);

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool configured;

    /// <summary>Idempotent; call it before the first container is built.</summary>
    public static async Task EnsureConfiguredAsync(CancellationToken cancellationToken = default)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (configured)
            {
                return;
            }
            using var client = await DockerClient.ConnectAsync(cancellationToken: cancellationToken);
            if (client.EngineApiVersion < TestcontainersApiVersion)
            {
                SetUnlessSet("DOCKER_API_VERSION", client.EngineApiVersion.ToString(2));
            }
            SetUnlessSet("TESTCONTAINERS_RYUK_DISABLED", "true");
            SetUnlessSet("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1");
            configured = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static void SetUnlessSet(string name, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
