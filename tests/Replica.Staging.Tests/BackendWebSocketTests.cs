using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Replica.Tests.Support;
using StackExchange.Redis;

namespace Replica.Staging.Tests;

/// <summary>The WebSocket protocol of PROTOCOL.md with a real ClientWebSocket against the running backend.</summary>
[Collection(StagingBackendCollection.Name)]
public sealed class BackendWebSocketTests(StagingBackendFixture backend)
{
    private static readonly string[] AgentEventOrder = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"];

    /// <summary>Connects and reads the welcome and the first ping, checking both.</summary>
    private async Task<ProtocolSocket> ConnectedAsync(string? token = null, string path = "/ws", Action<ClientWebSocketOptions>? configure = null, string userId = "e2e-tester")
    {
        var socket = await ProtocolSocket.ConnectAsync(backend.Backend, token ?? (configure is null ? StagingTopology.AccessToken(userId) : null), path, configure);
        var welcome = await socket.ReceiveAsync();
        Assert.Equal("system_message", welcome["type"]!.GetValue<string>());
        Assert.Equal("connection_established", welcome["data"]!["event"]!.GetValue<string>());
        Assert.Equal("ping", (await socket.ReceiveAsync())["type"]!.GetValue<string>());
        return socket;
    }

    [Theory]
    [InlineData("/ws")]
    [InlineData("/api/v1/websocket")]
    public async Task A_handshake_without_a_token_is_refused_with_403(string path)
    {
        Assert.Equal(HttpStatusCode.Forbidden, await ProtocolSocket.RejectedHandshakeAsync(backend.Backend, path));
    }

    [Fact]
    public async Task A_handshake_with_an_expired_wrongly_signed_or_refresh_token_is_refused_with_403()
    {
        var refresh = Replica.Staging.Common.Hs256Tokens.Sign(new JsonObject
        {
            ["sub"] = "e2e-x", ["type"] = "refresh", ["exp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600,
        }.ToJsonString(), StagingTopology.JwtSecret);
        foreach (var token in new[] { StagingTopology.AccessToken(lifetime: TimeSpan.FromSeconds(-5)), StagingTopology.AccessToken(secret: "a-wrong-secret-of-a-good-length-0123"), refresh, "garbage" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, await ProtocolSocket.RejectedHandshakeAsync(backend.Backend,
                configure: o => o.SetRequestHeader("Authorization", $"Bearer {token}")));
        }
        Assert.Equal(HttpStatusCode.OK, (await backend.Http.GetAsync($"{backend.BackendUrl}/health")).StatusCode);
    }

    [Fact]
    public async Task The_welcome_frame_then_a_ping_arrive_first()
    {
        await using var socket = await ProtocolSocket.ConnectAsync(backend.Backend, StagingTopology.AccessToken("e2e-welcome"));

        var welcome = await socket.ReceiveAsync();
        Assert.Equal("system_message", welcome["type"]!.GetValue<string>());
        var data = welcome["data"]!;
        Assert.Equal("connection_established", data["event"]!.GetValue<string>());
        Assert.StartsWith("conn_", data["connection_id"]!.GetValue<string>());
        Assert.Equal("e2e-welcome", data["user_id"]!.GetValue<string>());
        Assert.True(DateTimeOffset.TryParse(data["server_time"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
        Assert.True(data["connection_ready"]!.GetValue<bool>());
        Assert.True(data["startup_complete"]!.GetValue<bool>());
        Assert.Equal("staging", data["environment"]!.GetValue<string>());
        Assert.Equal(30, data["config"]!["heartbeat_interval"]!.GetValue<double>());
        Assert.Equal(8192, data["config"]!["max_message_size"]!.GetValue<int>());
        Assert.True(welcome["timestamp"]!.GetValue<double>() > 1_700_000_000);

        var ping = await socket.ReceiveAsync();
        Assert.Equal("ping", ping["type"]!.GetValue<string>());
        Assert.True(ping["data"]!["timestamp"]!.GetValue<double>() > 1_700_000_000);
        Assert.True(ping["timestamp"]!.GetValue<double>() > 1_700_000_000);
        Assert.Null(socket.Socket.SubProtocol);
    }

    [Fact]
    public async Task The_token_is_accepted_from_a_jwt_subprotocol_base64url_encoded_or_as_it_is()
    {
        var token = StagingTopology.AccessToken("e2e-subprotocol");
        foreach (var entry in new[] { "jwt." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(token)), "jwt." + token })
        {
            await using var socket = await ConnectedAsync(configure: o => o.AddSubProtocol(entry));
            Assert.Null(socket.Socket.SubProtocol); // the bare jwt-auth was not offered
        }
    }

    [Fact]
    public async Task Jwt_auth_is_chosen_only_when_offered_bare()
    {
        var token = StagingTopology.AccessToken();
        await using (var offered = await ConnectedAsync(configure: o => { o.AddSubProtocol("jwt-auth"); o.AddSubProtocol("jwt-auth." + token); }))
        {
            Assert.Equal("jwt-auth", offered.Socket.SubProtocol);
        }
        await using (var notOffered = await ConnectedAsync(configure: o => o.AddSubProtocol("jwt-auth." + token)))
        {
            Assert.Null(notOffered.Socket.SubProtocol);
        }
    }

    [Fact]
    public async Task The_token_is_accepted_from_a_bearer_subprotocol_and_the_query()
    {
        var token = StagingTopology.AccessToken();
        await using (await ConnectedAsync(configure: o => o.AddSubProtocol("bearer." + token)))
        {
        }
        await using (await ConnectedAsync(path: $"/api/v1/websocket?token={token}", configure: _ => { }))
        {
        }
    }

    [Fact]
    public async Task The_token_is_taken_in_the_stated_order_and_only_the_first_found_counts()
    {
        var valid = StagingTopology.AccessToken();
        var invalid = StagingTopology.AccessToken(secret: "a-wrong-secret-of-a-good-length-0123");

        // The header comes first: a valid header wins over an invalid subprotocol token…
        await using (await ConnectedAsync(configure: o => { o.SetRequestHeader("Authorization", $"Bearer {valid}"); o.AddSubProtocol("jwt." + invalid); }))
        {
        }
        // …an invalid header is not rescued by a valid query token…
        Assert.Equal(HttpStatusCode.Forbidden, await ProtocolSocket.RejectedHandshakeAsync(backend.Backend, $"/ws?token={valid}",
            o => o.SetRequestHeader("Authorization", $"Bearer {invalid}")));
        // …and a jwt. entry comes before bearer.
        Assert.Equal(HttpStatusCode.Forbidden, await ProtocolSocket.RejectedHandshakeAsync(backend.Backend,
            configure: o => { o.AddSubProtocol("bearer." + valid); o.AddSubProtocol("jwt." + invalid); }));
    }

    [Fact]
    public async Task A_client_ping_gets_a_pong()
    {
        await using var socket = await ConnectedAsync(userId: "e2e-pinger");

        await socket.SendAsync("""{"type":"ping"}""");

        var pong = await socket.ReceiveAsync();
        Assert.Equal("pong", pong["type"]!.GetValue<string>());
        Assert.Equal("e2e-pinger", pong["data"]!["user_id"]!.GetValue<string>());
        Assert.True(pong["data"]!["timestamp"]!.GetValue<double>() > 1_700_000_000);
        Assert.True(pong["timestamp"]!.GetValue<double>() > 1_700_000_000);
    }

    [Theory]
    [InlineData("""{"type":"user_message","content":"hello"}""")]
    [InlineData("""{"type":"message","message":"hello"}""")]
    [InlineData("""{"type":"user","text":"hello"}""")]
    [InlineData("""{"type":"user_input","payload":{"content":"hello"}}""")]
    [InlineData("""{"type":"chat_message","payload":{"text":"hello"}}""")]
    public async Task A_user_message_and_its_aliases_are_acknowledged(string message)
    {
        await using var socket = await ConnectedAsync();

        await socket.SendAsync(message);

        var reply = await socket.ReceiveAsync();
        Assert.Equal("system_message", reply["type"]!.GetValue<string>());
        Assert.Equal("Message received", reply["data"]!["content"]!.GetValue<string>());
        Assert.Equal("acknowledged", reply["data"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_type_gets_an_ack()
    {
        await using var socket = await ConnectedAsync(userId: "e2e-acker");

        await socket.SendAsync("""{"type":"get_thread_history","thread_id":"t1"}""");

        var ack = await socket.ReceiveAsync();
        Assert.Equal("ack", ack["type"]!.GetValue<string>());
        Assert.Equal("get_thread_history", ack["received_type"]!.GetValue<string>());
        Assert.Equal("e2e-acker", ack["user_id"]!.GetValue<string>());
        Assert.Equal("acknowledged", ack["status"]!.GetValue<string>());
        Assert.True(ack["timestamp"]!.GetValue<double>() > 1_700_000_000);
    }

    [Theory]
    [InlineData("{not json", "Invalid JSON: ")]
    [InlineData("", "Invalid JSON: ")]
    [InlineData("[1,2,3]", "Invalid message: expected a JSON object")]
    [InlineData("""{"no_type":true}""", "Invalid message: 'type' must be a string")]
    [InlineData("""{"type":7}""", "Invalid message: 'type' must be a string")]
    public async Task Invalid_json_gets_a_format_error_and_the_connection_stays_usable(string message, string expected)
    {
        await using var socket = await ConnectedAsync();

        await socket.SendAsync(message);

        var error = await socket.ReceiveAsync();
        Assert.Equal("error_message", error["type"]!.GetValue<string>());
        Assert.Equal("FORMAT_ERROR", error["error_code"]!.GetValue<string>());
        Assert.StartsWith(expected, error["error_message"]!.GetValue<string>());
        await socket.SendAsync("""{"type":"ping"}""");
        Assert.Equal("pong", (await socket.ReceiveAsync())["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_message_beyond_max_message_size_is_refused_and_one_at_the_limit_is_not()
    {
        await using var socket = await ConnectedAsync();
        string Padded(int size)
        {
            const string head = "{\"type\":\"user_message\",\"content\":\"";
            return head + new string('x', size - head.Length - 2) + "\"}";
        }

        await socket.SendAsync(Padded(8193));
        var refused = await socket.ReceiveAsync();
        Assert.Equal("error_message", refused["type"]!.GetValue<string>());
        Assert.Equal("MESSAGE_TOO_LARGE", refused["error_code"]!.GetValue<string>());

        await socket.SendAsync(Padded(1_000_000));
        Assert.Equal("MESSAGE_TOO_LARGE", (await socket.ReceiveAsync())["error_code"]!.GetValue<string>());

        await socket.SendAsync(Padded(8192));
        var accepted = await socket.ReceiveAsync();
        Assert.True(accepted["data"]?["content"]?.GetValue<string>() == "Message received", accepted.ToJsonString());
    }

    [Fact]
    public async Task Binary_garbage_gets_a_format_error()
    {
        await using var socket = await ConnectedAsync();

        await socket.SendAsync([0xff, 0xfe, 0x00, 0x01], WebSocketMessageType.Binary);

        Assert.Equal("FORMAT_ERROR", (await socket.ReceiveAsync())["error_code"]!.GetValue<string>());
        await socket.SendAsync("""{"type":"ping"}""");
        Assert.Equal("pong", (await socket.ReceiveAsync())["type"]!.GetValue<string>());
    }

    /// <summary>
    /// Malformed messages from the hardening issue, each a regression test: before, the first one threw in the router
    /// and closed the socket 1011 "Internal error" — the very symptom R2 is about. Now each gets FORMAT_ERROR saying
    /// what and where, and the connection goes on.
    /// </summary>
    [Theory]
    [InlineData("""{"type":null,"type":"ping"}""", "Invalid JSON: the key 'type' appears more than once")]
    [InlineData("""{"type":"start_agent","payload":{"user_request":"a","user_request":"b"}}""", "Invalid JSON: the key 'user_request' appears more than once")]
    [InlineData("""{"type":"\ud800"}""", "Invalid message: type: text with an unpaired surrogate is not valid Unicode")]
    [InlineData("""{"type":"start_agent","payload":{"user_request":"cost \udc00 report"}}""", "Invalid message: payload.user_request: text with an unpaired surrogate")]
    [InlineData("""{"type":"start_agent","payload":{"user_request":"cost\u0000report"}}""", "Invalid message: payload.user_request: text must not contain NUL")]
    [InlineData("""{"type":"user_message","tags":["ok","\ud83d"]}""", "Invalid message: tags[1]: text with an unpaired surrogate")]
    [InlineData("""{"\udfff":1,"type":"ping"}""", "Invalid message: a key: text with an unpaired surrogate")]
    [InlineData("""{"type":"ping"} trailing""", "Invalid JSON: not valid JSON at line 1, byte 17")]
    [InlineData("{\n\"type\": pong}", "Invalid JSON: not valid JSON at line 2")]
    [InlineData("   ", "Invalid JSON: no JSON value (the input is empty)")]
    public async Task A_malformed_message_gets_a_format_error_never_1011_and_the_connection_stays_usable(string message, string expected)
    {
        await using var socket = await ConnectedAsync();

        await socket.SendAsync(message);

        var error = await socket.ReceiveAsync();
        Assert.Equal("FORMAT_ERROR", error["error_code"]?.GetValue<string>());
        Assert.StartsWith(expected, error["error_message"]!.GetValue<string>());
        Assert.DoesNotContain("Exception", error["error_message"]!.GetValue<string>());
        await socket.SendAsync("""{"type":"ping"}""");
        Assert.Equal("pong", (await socket.ReceiveAsync())["type"]!.GetValue<string>());
        Assert.Null(socket.CloseStatus);
    }

    [Fact]
    public async Task Json_nested_past_64_levels_gets_a_format_error()
    {
        await using var socket = await ConnectedAsync();

        await socket.SendAsync("""{"type":"user_message","content":""" + new string('[', 70) + new string(']', 70) + "}");

        var error = await socket.ReceiveAsync();
        Assert.Equal("FORMAT_ERROR", error["error_code"]?.GetValue<string>());
        Assert.StartsWith("Invalid JSON: not valid JSON at line 1", error["error_message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"type":"ping"}""")]
    [InlineData("""{"type":"start_agent","payload":{"user_request":"binary"}}""")]
    public async Task A_binary_frame_is_refused_even_when_it_holds_json(string message)
    {
        await using var socket = await ConnectedAsync();

        await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Binary);

        var error = await socket.ReceiveAsync();
        Assert.Equal("FORMAT_ERROR", error["error_code"]?.GetValue<string>());
        Assert.Equal("Invalid message: binary frames are not accepted; send JSON as text", error["error_message"]!.GetValue<string>());
        Assert.Empty(await socket.CollectAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task A_binary_frame_with_invalid_utf8_inside_json_is_refused_not_thrown_on()
    {
        await using var socket = await ConnectedAsync();

        await socket.SendAsync([.. "{\"type\":\""u8, 0xff, 0xfe, .. "\"}"u8], WebSocketMessageType.Binary);

        Assert.Equal("FORMAT_ERROR", (await socket.ReceiveAsync())["error_code"]!.GetValue<string>());
        await socket.SendAsync("""{"type":"ping"}""");
        Assert.Equal("pong", (await socket.ReceiveAsync())["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_text_frame_with_invalid_utf8_fails_the_connection_never_1011_and_it_leaves_redis()
    {
        var redis = backend.Environment["redis"].Endpoint!;
        await using var redisClient = await RedisPing.ConnectAsync(redis.Host, redis.Port, TimeSpan.FromSeconds(10));
        var socket = await ProtocolSocket.ConnectAsync(backend.Backend, StagingTopology.AccessToken("e2e-invalid-utf8"));
        var key = $"ws:connection:{(await socket.ReceiveAsync())["data"]!["connection_id"]!.GetValue<string>()}";
        await Eventually.WaitAsync(async () => await redisClient.GetDatabase().StringGetAsync(key) == "e2e-invalid-utf8", TimeSpan.FromSeconds(10), "the connection registered");

        await socket.SendAsync([.. "{\"type\":\""u8, 0xc3, 0x28, .. "\"}"u8], WebSocketMessageType.Text);

        // ASP.NET Core's WebSocket layer answers 1007 and aborts the connection at once; the abort can overtake the
        // close frame (2 of 8 runs here), so the client sees 1007 or a reset — never 1011, never an open socket.
        var (status, _) = await socket.WaitClosedAsync(TimeSpan.FromSeconds(10));
        Assert.True(status is null or WebSocketCloseStatus.InvalidPayloadData, $"closed with {status}");
        Assert.NotEqual(WebSocketState.Open, socket.Socket.State);
        await Eventually.WaitAsync(async () => (await redisClient.GetDatabase().StringGetAsync(key)).IsNull, TimeSpan.FromSeconds(10), "the connection unregistered");
        await socket.DisposeAsync();
        Assert.Equal(HttpStatusCode.OK, (await backend.Http.GetAsync($"{backend.BackendUrl}/health")).StatusCode);
    }

    [Fact]
    public async Task Start_agent_with_payload_user_request_gets_the_five_events_in_order_recorded_in_postgres_and_redis()
    {
        var user = "e2e-agent-" + Guid.NewGuid().ToString("N")[..8];
        var redis = backend.Environment["redis"].Endpoint!;
        var announced = new List<string>();
        await using var client = await RedisPing.ConnectAsync(redis.Host, redis.Port, TimeSpan.FromSeconds(10));
        await client.GetSubscriber().SubscribeAsync(RedisChannel.Literal("agent:runs"), (_, message) => { lock (announced) announced.Add(message!); });
        await using var socket = await ConnectedAsync(userId: user);

        await socket.SendAsync("""{"type":"start_agent","payload":{"user_request":"Analyze the quarterly infrastructure costs","agent_name":"triage"}}""");

        var events = new List<JsonObject>();
        for (var i = 0; i < 5; i++)
        {
            events.Add(await socket.ReceiveAsync());
        }
        Assert.Equal(AgentEventOrder, events.Select(e => e["type"]!.GetValue<string>()));
        var runId = events[0]["run_id"]!.GetValue<string>();
        Assert.All(events, e =>
        {
            Assert.Equal(runId, e["run_id"]!.GetValue<string>());
            Assert.Equal("supervisor", e["agent_name"]!.GetValue<string>());
            Assert.True(DateTimeOffset.TryParse(e["timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
            Assert.False(string.IsNullOrEmpty(e["payload"]!["status"]!.GetValue<string>()));
            Assert.False(string.IsNullOrEmpty(e["payload"]!["message"]!.GetValue<string>()));
        });
        var thinking = events[1]["payload"]!;
        Assert.False(string.IsNullOrEmpty(thinking["reasoning"]!.GetValue<string>()));
        Assert.Equal(1, thinking["step_number"]!.GetValue<int>());
        Assert.InRange(thinking["progress_percentage"]!.GetValue<int>(), 0, 100);
        var executing = events[2]["payload"]!;
        Assert.Equal("data_analyzer", executing["tool_name"]!.GetValue<string>());
        Assert.Equal("Analyze the quarterly infrastructure costs", executing["parameters"]!["query"]!.GetValue<string>());
        var completedTool = events[3]["payload"]!;
        Assert.Equal("data_analyzer", completedTool["tool_name"]!.GetValue<string>());
        Assert.Equal(5, completedTool["result"]!["word_count"]!.GetValue<int>());
        Assert.True(completedTool["execution_time_ms"]!.GetValue<double>() >= 0);
        var completed = events[4]["payload"]!;
        var summary = completed["result"]!["summary"]!.GetValue<string>();
        Assert.Contains("Analyze the quarterly infrastructure costs", summary);
        Assert.True(completed["execution_time_ms"]!.GetValue<double>() >= 0);
        var threadId = completed["result"]!["thread_id"]!.GetValue<string>();

        await using (var db = await backend.OpenDatabaseAsync())
        {
            await using var run = new Npgsql.NpgsqlCommand("SELECT thread_id, user_id, status, result FROM agent_runs WHERE id = $1", db) { Parameters = { new() { Value = runId } } };
            await using var row = await run.ExecuteReaderAsync();
            Assert.True(await row.ReadAsync(), "the run is recorded");
            Assert.Equal(threadId, row.GetString(0));
            Assert.Equal(user, row.GetString(1));
            Assert.Equal("completed", row.GetString(2));
            Assert.Equal(summary, row.GetString(3));
        }
        var (_, messages) = await backend.GetJsonAsync($"/api/messages?thread_id={threadId}", StagingTopology.AccessToken(user));
        Assert.Equal(["user", "assistant"], messages.AsArray().Select(m => m!["role"]!.GetValue<string>()));

        await Eventually.WaitAsync(() => { lock (announced) return announced.Any(a => a.Contains(runId)); }, TimeSpan.FromSeconds(10), "the run announced on agent:runs");
        Assert.Contains(summary, (string?)await client.GetDatabase().StringGetAsync($"agent:run:{runId}"));
    }

    [Fact]
    public async Task An_open_connection_is_registered_in_redis_and_unregistered_when_it_closes()
    {
        var redis = backend.Environment["redis"].Endpoint!;
        await using var redisClient = await RedisPing.ConnectAsync(redis.Host, redis.Port, TimeSpan.FromSeconds(10));
        var client = redisClient.GetDatabase();
        var socket = await ProtocolSocket.ConnectAsync(backend.Backend, StagingTopology.AccessToken("e2e-registered"));
        var key = $"ws:connection:{(await socket.ReceiveAsync())["data"]!["connection_id"]!.GetValue<string>()}";

        await Eventually.WaitAsync(async () => await client.StringGetAsync(key) == "e2e-registered", TimeSpan.FromSeconds(10), "the connection registered");
        await socket.DisposeAsync();

        await Eventually.WaitAsync(async () => (await client.StringGetAsync(key)).IsNull, TimeSpan.FromSeconds(10), "the connection unregistered");
    }

    [Theory]
    [InlineData("""{"type":"start_agent","content":"Find idle instances"}""")]
    [InlineData("""{"type":"start_agent","payload":{"content":"Find idle instances"}}""")]
    [InlineData("""{"type":"execute_agent","payload":{"user_request":"Find idle instances"}}""")]
    public async Task Start_agent_with_content_or_the_alias_gets_the_five_events(string message)
    {
        await using var socket = await ConnectedAsync();

        await socket.SendAsync(message);

        var events = new List<JsonObject>();
        for (var i = 0; i < 5; i++)
        {
            events.Add(await socket.ReceiveAsync());
        }
        Assert.Equal(AgentEventOrder, events.Select(e => e["type"]!.GetValue<string>()));
        Assert.Equal("Find idle instances", events[2]["payload"]!["parameters"]!["query"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"type":"start_agent"}""")]
    [InlineData("""{"type":"start_agent","payload":{"user_request":"   "}}""")]
    [InlineData("""{"type":"start_agent","payload":"not an object"}""")]
    public async Task Start_agent_without_a_request_gets_an_error(string message)
    {
        await using var socket = await ConnectedAsync();

        await socket.SendAsync(message);

        var error = await socket.ReceiveAsync();
        Assert.Equal("error", error["type"]!.GetValue<string>());
        Assert.Contains("empty", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Concurrent_runs_on_one_socket_each_deliver_their_events_in_order()
    {
        await using var socket = await ConnectedAsync();

        for (var i = 0; i < 10; i++)
        {
            await socket.SendAsync($$$"""{"type":"start_agent","payload":{"user_request":"request {{{i}}}"}}""");
        }

        var events = new List<JsonObject>();
        for (var i = 0; i < 50; i++)
        {
            events.Add(await socket.ReceiveAsync());
        }
        var runs = events.GroupBy(e => e["run_id"]!.GetValue<string>()).ToList();
        Assert.Equal(10, runs.Count);
        Assert.All(runs, run => Assert.Equal(AgentEventOrder, run.Select(e => e["type"]!.GetValue<string>())));
    }

    [Fact]
    public async Task A_token_that_expires_while_the_socket_is_open_closes_it_with_1008()
    {
        var token = StagingTopology.AccessToken("e2e-expiring", lifetime: TimeSpan.FromSeconds(5));
        var expiry = new DateTimeOffset(new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).ValidTo, TimeSpan.Zero);
        await using var socket = await ConnectedAsync(token);

        await Eventually.WaitAsync(() => DateTimeOffset.UtcNow > expiry, TimeSpan.FromSeconds(10), "the token to expire");
        await socket.SendAsync("""{"type":"ping"}""");

        var (status, description) = await socket.WaitClosedAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("Authentication failed: token expired", description);
    }

    [Fact]
    public async Task A_client_close_is_answered_and_the_backend_stays_healthy()
    {
        await using var socket = await ConnectedAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await socket.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);

        var (status, description) = await socket.WaitClosedAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, status);
        Assert.Equal("bye", description);
        Assert.Equal(WebSocketState.Closed, socket.Socket.State);
        Assert.Equal(HttpStatusCode.OK, (await backend.Http.GetAsync($"{backend.BackendUrl}/health")).StatusCode);
    }

    [Fact]
    public async Task Clients_that_vanish_mid_run_do_not_hurt_the_backend()
    {
        for (var i = 0; i < 5; i++)
        {
            var socket = await ConnectedAsync();
            await socket.SendAsync("""{"type":"start_agent","payload":{"user_request":"abandoned"}}""");
            socket.Socket.Abort();
            await socket.DisposeAsync();
        }

        await using var survivor = await ConnectedAsync();
        await survivor.SendAsync("""{"type":"ping"}""");
        Assert.Equal("pong", (await survivor.ReceiveAsync())["type"]!.GetValue<string>());
        Assert.False(backend.Environment["backend"].Instance!.Exited.IsCompleted);
    }
}
