using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Replica.Environments.Docker;

public sealed partial class DockerClient
{
    /// <summary>The first API that knows a healthcheck's StartInterval (Engine 25).</summary>
    private static readonly Version StartIntervalApiVersion = new(1, 44);

    /// <summary>
    /// Creates (does not start) a container. Ports are published on 127.0.0.1: on the host port the spec fixes, or
    /// with an empty HostPort, which asks the engine for a random free port. The first network is joined at create time; the others are connected
    /// before returning, because engines before API 1.44 honour only one network in the create body.
    /// </summary>
    public async Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken = default)
    {
        var exposed = new JsonObject();
        var bindings = new JsonObject();
        foreach (var port in spec.Ports)
        {
            var key = $"{port}/tcp";
            exposed[key] = new JsonObject();
            var hostPort = spec.HostPorts.TryGetValue(port, out var fixedPort) ? fixedPort.ToString(CultureInfo.InvariantCulture) : "";
            bindings[key] = new JsonArray(new JsonObject { ["HostIp"] = "127.0.0.1", ["HostPort"] = hostPort });
        }

        var hostConfig = new JsonObject { ["PortBindings"] = bindings };
        var body = new JsonObject
        {
            ["Image"] = spec.Image,
            ["Env"] = new JsonArray(spec.Environment.Select(e => (JsonNode)$"{e.Key}={e.Value}").ToArray()),
            ["Labels"] = StringMap(spec.Labels),
            ["ExposedPorts"] = exposed,
            ["Tty"] = false,
            ["AttachStdout"] = false,
            ["AttachStderr"] = false,
            ["HostConfig"] = hostConfig,
        };
        if (spec.Command is not null)
        {
            body["Cmd"] = StringArray(spec.Command);
        }

        if (spec.Entrypoint is not null)
        {
            body["Entrypoint"] = StringArray(spec.Entrypoint);
        }

        if (spec.User is not null)
        {
            body["User"] = spec.User;
        }

        if (spec.WorkingDirectory is not null)
        {
            body["WorkingDir"] = spec.WorkingDirectory;
        }

        if (spec.Healthcheck is { } health)
        {
            body["Healthcheck"] = new JsonObject
            {
                ["Test"] = StringArray(health.Test),
                ["Interval"] = Nanoseconds(health.Interval),
                ["Timeout"] = Nanoseconds(health.Timeout),
                ["StartPeriod"] = Nanoseconds(health.StartPeriod),
                ["Retries"] = health.Retries,
            };
            if (health.StartInterval is { } startInterval && ApiVersion >= StartIntervalApiVersion)
            {
                body["Healthcheck"]!["StartInterval"] = Nanoseconds(startInterval);
            }
        }

        if (spec.Networks.Count > 0)
        {
            var first = spec.Networks[0];
            hostConfig["NetworkMode"] = first.Network;
            body["NetworkingConfig"] = new JsonObject
            {
                ["EndpointsConfig"] = new JsonObject
                {
                    [first.Network] = new JsonObject { ["Aliases"] = StringArray(first.Aliases) },
                },
            };
        }

        var query = spec.Name is null ? "" : $"?name={Escape(spec.Name)}";
        var created = await PostJsonAsync($"containers/create{query}", body, $"create container from {spec.Image}", cancellationToken)
            .ConfigureAwait(false);
        var id = created.GetProperty("Id").GetString()!;
        try
        {
            foreach (var attachment in spec.Networks.Skip(1))
            {
                await ConnectNetworkAsync(attachment.Network, id, attachment.Aliases, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            // No half-made container: it would hold the name and the networks.
            await RemoveContainerAsync(id, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return id;
    }

    public Task StartContainerAsync(string id, CancellationToken cancellationToken = default) =>
        SendNoBodyAsync(HttpMethod.Post, $"containers/{Escape(id)}/start", $"start container {Short(id)}", cancellationToken, HttpStatusCode.NotModified);

    /// <summary>Stops with SIGTERM, then SIGKILL after <paramref name="timeout"/>. Stopping a stopped container is fine.</summary>
    public Task StopContainerAsync(string id, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        SendNoBodyAsync(HttpMethod.Post, $"containers/{Escape(id)}/stop?t={Seconds(timeout)}", $"stop container {Short(id)}", cancellationToken, HttpStatusCode.NotModified);

    /// <summary>Sends a signal (default SIGKILL). Killing a container that is not running is fine (the engine says 409).</summary>
    public Task KillContainerAsync(string id, string signal = "SIGKILL", CancellationToken cancellationToken = default) =>
        SendNoBodyAsync(HttpMethod.Post, $"containers/{Escape(id)}/kill?signal={Escape(signal)}", $"kill container {Short(id)}", cancellationToken, HttpStatusCode.Conflict);

    public Task PauseContainerAsync(string id, CancellationToken cancellationToken = default) =>
        SendNoBodyAsync(HttpMethod.Post, $"containers/{Escape(id)}/pause", $"pause container {Short(id)}", cancellationToken);

    public Task UnpauseContainerAsync(string id, CancellationToken cancellationToken = default) =>
        SendNoBodyAsync(HttpMethod.Post, $"containers/{Escape(id)}/unpause", $"unpause container {Short(id)}", cancellationToken);

    public Task RestartContainerAsync(string id, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        SendNoBodyAsync(HttpMethod.Post, $"containers/{Escape(id)}/restart?t={Seconds(timeout)}", $"restart container {Short(id)}", cancellationToken);

    /// <summary>Force-removes a container and its anonymous volumes. A container already gone is fine.</summary>
    public Task RemoveContainerAsync(string id, CancellationToken cancellationToken = default) =>
        SendNoBodyAsync(HttpMethod.Delete, $"containers/{Escape(id)}?force=1&v=1", $"remove container {Short(id)}", cancellationToken, HttpStatusCode.NotFound, HttpStatusCode.Conflict);

    /// <summary>
    /// Blocks until the container leaves the running state and returns its exit code.
    /// <paramref name="condition"/> is not-running (returns at once for a stopped container) or next-exit.
    /// </summary>
    public async Task<long> WaitContainerAsync(string id, string condition = "not-running", CancellationToken cancellationToken = default)
    {
        var result = await PostJsonAsync($"containers/{Escape(id)}/wait?condition={Escape(condition)}", null, $"wait for container {Short(id)}", cancellationToken)
            .ConfigureAwait(false);
        return result.GetProperty("StatusCode").GetInt64();
    }

    public async Task<ContainerInfo> InspectContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        var root = await GetJsonAsync($"containers/{Escape(id)}/json", $"inspect container {Short(id)}", cancellationToken)
            .ConfigureAwait(false);
        return ParseContainer(root);
    }

    /// <summary>Containers (running or not) carrying every given label; a null value matches any value.</summary>
    public async Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(
        IReadOnlyDictionary<string, string?> labels,
        CancellationToken cancellationToken = default)
    {
        var root = await GetJsonAsync($"containers/json?all=1&filters={LabelFilter(labels)}", "list containers", cancellationToken)
            .ConfigureAwait(false);
        return root.EnumerateArray()
            .Select(c => new ContainerSummary(
                c.GetProperty("Id").GetString()!,
                c.GetProperty("Names").EnumerateArray().Select(n => n.GetString()!.TrimStart('/')).ToArray(),
                c.GetProperty("Image").GetString() ?? "",
                c.GetProperty("State").GetString() ?? "",
                ReadLabels(c.GetProperty("Labels"))))
            .ToArray();
    }

    /// <summary>
    /// The container's output as frames, stdout and stderr apart. With <paramref name="follow"/> the sequence
    /// goes on until the container stops or <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async IAsyncEnumerable<LogFrame> ReadLogsAsync(
        string id,
        bool follow = false,
        DateTimeOffset? since = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // A TTY container's log stream is raw, not multiplexed.
        var tty = (await InspectContainerAsync(id, cancellationToken).ConfigureAwait(false)).Tty;
        var query = $"stdout=1&stderr=1&follow={(follow ? 1 : 0)}";
        if (since is { } from)
        {
            query += "&since=" + UnixTimestamp(from);
        }

        using var response = await SendAsync(HttpMethod.Get, $"containers/{Escape(id)}/logs?{query}", null, $"read logs of container {Short(id)}", cancellationToken)
            .ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var frames = tty
            ? MultiplexedStreamReader.ReadRawAsync(stream, cancellationToken)
            : MultiplexedStreamReader.ReadFramesAsync(stream, cancellationToken);
        await foreach (var frame in frames.ConfigureAwait(false))
        {
            yield return frame;
        }
    }

    /// <summary>Everything the container has printed so far.</summary>
    public async Task<ContainerLogs> GetLogsAsync(string id, CancellationToken cancellationToken = default)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        await foreach (var frame in ReadLogsAsync(id, follow: false, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            (frame.Stream == LogStream.Stderr ? stderr : stdout).Write(frame.Payload.Span);
        }

        return new ContainerLogs(Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    private static ContainerInfo ParseContainer(JsonElement root)
    {
        var state = root.GetProperty("State");
        var config = root.GetProperty("Config");
        var settings = root.GetProperty("NetworkSettings");

        ContainerHealth? health = null;
        if (state.TryGetProperty("Health", out var healthElement) && healthElement.ValueKind == JsonValueKind.Object)
        {
            string? lastOutput = null;
            if (healthElement.TryGetProperty("Log", out var log) && log.ValueKind == JsonValueKind.Array && log.GetArrayLength() > 0)
            {
                lastOutput = log[log.GetArrayLength() - 1].GetProperty("Output").GetString()?.Trim();
            }

            health = new ContainerHealth(
                healthElement.GetProperty("Status").GetString() ?? "",
                healthElement.TryGetProperty("FailingStreak", out var streak) ? streak.GetInt32() : 0,
                lastOutput);
        }

        var hostPorts = new Dictionary<int, int>();
        if (settings.TryGetProperty("Ports", out var ports) && ports.ValueKind == JsonValueKind.Object)
        {
            foreach (var port in ports.EnumerateObject())
            {
                if (!port.Name.EndsWith("/tcp", StringComparison.Ordinal) || port.Value.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                var containerPort = int.Parse(port.Name[..^4], CultureInfo.InvariantCulture);
                foreach (var binding in port.Value.EnumerateArray())
                {
                    if (int.TryParse(binding.GetProperty("HostPort").GetString(), CultureInfo.InvariantCulture, out var hostPort) && hostPort > 0)
                    {
                        hostPorts[containerPort] = hostPort;
                    }
                }
            }
        }

        var networks = new Dictionary<string, ContainerNetwork>(StringComparer.Ordinal);
        if (settings.TryGetProperty("Networks", out var networkElements) && networkElements.ValueKind == JsonValueKind.Object)
        {
            foreach (var network in networkElements.EnumerateObject())
            {
                var aliases = network.Value.TryGetProperty("Aliases", out var aliasElement) && aliasElement.ValueKind == JsonValueKind.Array
                    ? aliasElement.EnumerateArray().Select(a => a.GetString()!).ToArray()
                    : [];
                networks[network.Name] = new ContainerNetwork(
                    network.Value.GetProperty("NetworkID").GetString() ?? "",
                    network.Value.GetProperty("IPAddress").GetString() ?? "",
                    network.Value.GetProperty("Gateway").GetString() ?? "",
                    aliases);
            }
        }

        var startedAtText = state.GetProperty("StartedAt").GetString();
        DateTimeOffset? startedAt = DateTimeOffset.TryParse(startedAtText, CultureInfo.InvariantCulture, out var parsed) && parsed.Year > 1
            ? parsed
            : null;

        return new ContainerInfo(
            root.GetProperty("Id").GetString()!,
            (root.GetProperty("Name").GetString() ?? "").TrimStart('/'),
            config.GetProperty("Image").GetString() ?? "",
            Enum.Parse<ContainerStatus>(state.GetProperty("Status").GetString()!, ignoreCase: true),
            state.GetProperty("ExitCode").GetInt64(),
            state.TryGetProperty("Error", out var error) && error.GetString() is { Length: > 0 } message ? message : null,
            startedAt,
            health,
            config.TryGetProperty("Tty", out var tty) && tty.GetBoolean(),
            ReadLabels(config.GetProperty("Labels")),
            hostPorts,
            networks);
    }

    private static JsonObject StringMap(IReadOnlyDictionary<string, string> values)
    {
        var map = new JsonObject();
        foreach (var (key, value) in values)
        {
            map[key] = value;
        }

        return map;
    }

    private static JsonArray StringArray(IEnumerable<string> values) =>
        new(values.Select(v => (JsonNode)v).ToArray());

    private static long Nanoseconds(TimeSpan value) => value.Ticks * 100;

    /// <summary>
    /// seconds.nanoseconds since the epoch, the form the engine's <c>since</c> takes: whole seconds would repeat
    /// or drop the lines of the second a follower resumes in.
    /// </summary>
    private static string UnixTimestamp(DateTimeOffset value)
    {
        var ticks = (value - DateTimeOffset.UnixEpoch).Ticks;
        return string.Create(CultureInfo.InvariantCulture, $"{ticks / TimeSpan.TicksPerSecond}.{ticks % TimeSpan.TicksPerSecond * 100:D9}");
    }

    private static string Short(string id) => id.Length > 12 && !id.Contains(':') ? id[..12] : id;
}
