using Docker.DotNet;
using DotNet.Testcontainers.Containers;
using Replica.Environments.Docker;

namespace Replica.Environments.Runtimes.Docker;

/// <summary>
/// A compose healthcheck's test (<c>["CMD", …]</c> or <c>["CMD-SHELL", "…"]</c>) run in the container through
/// Testcontainers' exec: what Testcontainers' <c>UntilCommandIsCompleted</c> does, keeping the command's output and
/// exit code so that a service that never turns healthy can say why. Each evaluation is one run, bounded by the
/// healthcheck's timeout; the environment's readiness loop decides how often and for how long.
/// </summary>
public sealed class HealthcheckCommand : IContainerCheck
{
    private readonly IList<string> _command;
    private readonly TimeSpan _timeout;

    public HealthcheckCommand(IReadOnlyList<string> test, TimeSpan timeout)
    {
        _command = test switch
        {
            ["CMD-SHELL", var shell] => ["/bin/sh", "-c", shell],
            ["CMD", ..] => [.. test.Skip(1)],
            _ => [.. test],
        };
        _timeout = timeout > TimeSpan.Zero ? timeout : TimeSpan.FromSeconds(30);
    }

    public string LastDetail { get; private set; } = "no check has finished yet";

    public async Task<bool> UntilAsync(IContainer container)
    {
        using var timeout = new CancellationTokenSource(_timeout);
        try
        {
            var result = await container.ExecAsync(_command, timeout.Token).ConfigureAwait(false);
            var output = (result.Stdout + result.Stderr).Trim();
            LastDetail = $"`{string.Join(' ', _command)}` exited with {result.ExitCode}" + (output.Length > 0 ? $"; it said: {output}" : "");
            return result.ExitCode == 0;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            LastDetail = $"`{string.Join(' ', _command)}` did not finish within {_timeout.TotalSeconds:0.#} s";
            return false;
        }
        catch (DockerApiException e)
        {
            // Paused, stopped, or gone: the engine refuses the exec.
            LastDetail = $"cannot run `{string.Join(' ', _command)}`: {DockerErrors.EngineMessage(e)}";
            return false;
        }
    }
}
