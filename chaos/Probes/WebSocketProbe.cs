using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Replica.Chaos.Scenarios;
using Replica.Proxy.Edge.Tls;

namespace Replica.Chaos.Probes;

/// <summary>
/// Runs a WebSocket probe with a real ClientWebSocket: handshake (with the token), one message sent at once, then
/// the expected frame types in order. Everything received is recorded on the run's time axis; a failure is
/// classified: handshake rejected, closed with a code, silence after these frames, wrong order, connection refused.
/// </summary>
public static class WebSocketProbe
{
    public static async Task<ProbeObservation> RunAsync(WebSocketProbeDefinition probe, ProbeContext context, CancellationToken cancellationToken)
    {
        var started = context.Now;
        var frames = new List<ObservedFrame>();
        var seen = new List<string>();
        ProbeObservation Finish(FailureMode? failure, string? detail = null) =>
            new(probe.Name, started, context.Now, failure is null, failure, frames, detail);

        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        foreach (var subprotocol in probe.Subprotocols)
        {
            socket.Options.AddSubProtocol(subprotocol);
        }
        if (await context.TokenAsync(probe.Token, cancellationToken) is { } token)
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        }
        var baseUrl = context.BaseUrl(probe.Target);
        var secure = baseUrl.Scheme == Uri.UriSchemeHttps;
        if (secure)
        {
            socket.Options.RemoteCertificateValidationCallback = EdgeCertificateTrust.Validate;
        }
        var uri = new Uri($"{(secure ? "wss" : "ws")}://{baseUrl.Authority}{probe.Path}");
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connect.CancelAfter(probe.FrameTimeout);
            try
            {
                await socket.ConnectAsync(uri, connect.Token);
                frames.Add(new ObservedFrame(context.Now, "event", "open"));
                context.Opened(probe.Name);
            }
            catch (WebSocketException ex) when (socket.HttpStatusCode is not 0 and not System.Net.HttpStatusCode.SwitchingProtocols)
            {
                frames.Add(new ObservedFrame(context.Now, "in", $"HTTP {(int)socket.HttpStatusCode}"));
                return Finish(new FailureMode(FailureKind.HandshakeRejected, (int)socket.HttpStatusCode), ex.Message);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Finish(new FailureMode(FailureKind.Timeout, AfterFrames: ["(no handshake)"]), $"no handshake within {probe.FrameTimeout.TotalSeconds:0.#} s");
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException)
            {
                return Finish(HttpFailures.FromException(ex), ex.Message);
            }
        }

        try
        {
            if (probe.Send is { } send)
            {
                var text = send.ToJsonString();
                await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);
                frames.Add(new ObservedFrame(context.Now, "out", TypeOf(text, probe.TypeField), text));
            }
            var buffer = new byte[64 * 1024];
            var message = new MemoryStream();
            var next = 0;
            while (next < probe.Expect.Count)
            {
                using var frameDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                frameDeadline.CancelAfter(probe.FrameTimeout);
                WebSocketReceiveResult result;
                message.SetLength(0);
                try
                {
                    do
                    {
                        result = await socket.ReceiveAsync(buffer, frameDeadline.Token);
                        message.Write(buffer, 0, result.Count);
                    }
                    while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return Finish(new FailureMode(FailureKind.Timeout, AfterFrames: [.. seen]),
                        $"no {probe.Expect[next]} within {probe.FrameTimeout.TotalSeconds:0.#} s");
                }
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    var code = (int?)socket.CloseStatus ?? 1005;
                    var reason = socket.CloseStatusDescription ?? "";
                    frames.Add(new ObservedFrame(context.Now, "in", $"close {code}", reason));
                    return Finish(new FailureMode(FailureKind.WebSocketClosed, code, reason), $"closed {code} before {probe.Expect[next]}");
                }
                var payload = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                var type = TypeOf(payload, probe.TypeField);
                frames.Add(new ObservedFrame(context.Now, "in", type, payload));
                seen.Add(type);
                if (type == probe.Expect[next])
                {
                    next++;
                }
                else if (probe.Expect.Skip(next + 1).Contains(type))
                {
                    return Finish(new FailureMode(FailureKind.WrongOrder, Message: $"expected {probe.Expect[next]}, got {type}"));
                }
            }
            await CloseQuietlyAsync(socket);
            return Finish(null);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            frames.Add(new ObservedFrame(context.Now, "event", "connection lost"));
            return Finish(HttpFailures.FromException(ex), ex.Message);
        }
    }

    /// <summary>The frame's type field, or "(not JSON)" / "(no type)".</summary>
    public static string TypeOf(string payload, string field)
    {
        try
        {
            using var json = JsonDocument.Parse(payload);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(field, out var value)
                ? value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()
                : "(no type)";
        }
        catch (JsonException)
        {
            return "(not JSON)";
        }
    }

    private static async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "probe done", timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The probe already has what it came for.
        }
    }
}
