using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Replica.Staging.Tests;

/// <summary>Every HTTP route of PROTOCOL.md against the running backend: status codes and JSON shapes.</summary>
[Collection(StagingBackendCollection.Name)]
public sealed class BackendHttpTests(StagingBackendFixture backend)
{
    private static void AssertIso(JsonNode? value) =>
        Assert.True(DateTimeOffset.TryParse(value!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _), $"not ISO 8601: {value}");

    [Fact]
    public async Task Health_is_200_with_service_version_and_a_unix_float_timestamp()
    {
        var (status, body) = await backend.GetJsonAsync("/health");

        Assert.Equal(200, status);
        Assert.Equal("healthy", body["status"]!.GetValue<string>());
        Assert.Equal("netra-backend", body["service"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["version"]!.GetValue<string>()));
        var timestamp = body["timestamp"]!.GetValue<double>();
        Assert.InRange(timestamp, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60);
    }

    [Theory]
    [InlineData("/health/ready")]
    [InlineData("/api/health/ready")]
    public async Task Readiness_is_200_ready_with_the_core_database_connected(string path)
    {
        var (status, body) = await backend.GetJsonAsync(path);

        Assert.Equal(200, status);
        Assert.Equal("ready", body["status"]!.GetValue<string>());
        Assert.Equal("connected", body["core_db"]!.GetValue<string>());
        Assert.Equal("connected", body["redis"]!.GetValue<string>());
    }

    [Fact]
    public async Task Api_health_reports_each_dependency_check()
    {
        var (status, body) = await backend.GetJsonAsync("/api/health");

        Assert.Equal(200, status);
        Assert.Equal("healthy", body["status"]!.GetValue<string>());
        AssertIso(body["timestamp"]);
        Assert.True(body["uptime_seconds"]!.GetValue<double>() >= 0);
        Assert.Equal("staging", body["environment"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["version"]!.GetValue<string>()));
        foreach (var dependency in new[] { "postgres", "redis" })
        {
            var check = body["checks"]![dependency]!;
            Assert.Equal("healthy", check["status"]!.GetValue<string>());
            Assert.True(check["connected"]!.GetValue<bool>());
            Assert.True(check["response_time_ms"]!.GetValue<double>() >= 0);
            Assert.Null(check["error"]);
        }
    }

    [Fact]
    public async Task Api_health_live_is_200()
    {
        var (status, body) = await backend.GetJsonAsync("/api/health/live");

        Assert.Equal(200, status);
        Assert.Equal("alive", body["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Discovery_lists_backend_auth_and_frontend()
    {
        var (status, body) = await backend.GetJsonAsync("/api/discovery/services");

        Assert.Equal(200, status);
        Assert.True(body["available"]!.GetValue<bool>());
        AssertIso(body["timestamp"]);
        var services = body["services"]!.AsObject();
        Assert.Equal(["auth", "backend", "frontend"], services.Select(s => s.Key).Order());
        Assert.Equal($"ws://{backend.Backend}/ws", services["backend"]!["websocket_url"]!.GetValue<string>());
        // AUTH_SERVICE_URL as the backend received it: compose's http://auth:8081 rewritten to the auth service here.
        Assert.Equal($"http://{backend.Environment["auth"].Endpoint}", services["auth"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Mcp_servers_and_config()
    {
        var (status, servers) = await backend.GetJsonAsync("/api/mcp/servers");
        Assert.Equal(200, status);
        Assert.Equal("success", servers["status"]!.GetValue<string>());
        var server = Assert.Single(servers["data"]!.AsArray())!;
        Assert.Equal("connected", server["status"]!.GetValue<string>());
        foreach (var field in new[] { "name", "version", "description" })
        {
            Assert.False(string.IsNullOrEmpty(server[field]!.GetValue<string>()), field);
        }
        Assert.NotEmpty(server["capabilities"]!.AsObject());

        var (configStatus, config) = await backend.GetJsonAsync("/api/mcp/config");
        Assert.Equal(200, configStatus);
        Assert.NotEmpty(config.AsObject());
    }

    [Theory]
    [InlineData("GET", "/api/threads")]
    [InlineData("POST", "/api/threads")]
    [InlineData("GET", "/api/messages")]
    [InlineData("POST", "/api/messages")]
    public async Task Threads_and_messages_without_a_bearer_token_are_403_not_authenticated(string method, string path)
    {
        var (status, body) = await backend.SendJsonAsync(new HttpMethod(method), path, method == "POST" ? "{}" : null);

        Assert.Equal(403, status);
        Assert.Equal("Not authenticated", body["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_expired_or_wrongly_signed_bearer_token_is_401()
    {
        foreach (var token in new[]
        {
            StagingTopology.AccessToken(lifetime: TimeSpan.FromSeconds(-10)),
            StagingTopology.AccessToken(secret: "not-the-staging-secret-0123456789abcdef"),
            "not.a.token",
        })
        {
            var (status, body) = await backend.GetJsonAsync("/api/threads", token);
            Assert.Equal(401, status);
            Assert.Equal("Invalid or expired token", body["detail"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("253402300800")]
    [InlineData("1e300")]
    [InlineData("1e400")]
    public async Task A_validly_signed_token_expiring_past_year_9999_is_401_not_a_server_error(string exp)
    {
        var token = Replica.Staging.Common.Hs256Tokens.Sign($$"""{"sub":"e2e-far-future","type":"access","iss":"netra-auth-service","aud":"netra-platform","exp":{{exp}}}""",
            StagingTopology.JwtSecret);

        var (status, body) = await backend.GetJsonAsync("/api/threads", token);

        Assert.Equal(401, status);
        Assert.Equal("Invalid or expired token", body["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Threads_and_messages_are_stored_per_user()
    {
        var alice = StagingTopology.AccessToken("e2e-alice-" + Guid.NewGuid().ToString("N")[..8]);
        var bob = StagingTopology.AccessToken("e2e-bob-" + Guid.NewGuid().ToString("N")[..8], withAudience: false);

        var (created, thread) = await backend.SendJsonAsync(HttpMethod.Post, "/api/threads", """{"title":"Quarterly costs"}""", alice);
        Assert.Equal(201, created);
        var threadId = thread["id"]!.GetValue<string>();
        Assert.Equal("Quarterly costs", thread["title"]!.GetValue<string>());
        AssertIso(thread["created_at"]);

        var (posted, message) = await backend.SendJsonAsync(HttpMethod.Post, "/api/messages", $$"""{"thread_id":"{{threadId}}","content":"What did we spend?"}""", alice);
        Assert.Equal(201, posted);
        Assert.Equal("user", message["role"]!.GetValue<string>());

        var (_, threads) = await backend.GetJsonAsync("/api/threads", alice);
        Assert.Equal(threadId, Assert.Single(threads.AsArray())!["id"]!.GetValue<string>());
        var (_, messages) = await backend.GetJsonAsync($"/api/messages?thread_id={threadId}", alice);
        Assert.Equal("What did we spend?", Assert.Single(messages.AsArray())!["content"]!.GetValue<string>());

        // Bob (a token without aud) is authenticated but sees nothing of Alice's.
        var (bobStatus, bobThreads) = await backend.GetJsonAsync("/api/threads", bob);
        Assert.Equal(200, bobStatus);
        Assert.Empty(bobThreads.AsArray());
        Assert.Equal(404, (await backend.GetJsonAsync($"/api/messages?thread_id={threadId}", bob)).Status);
        Assert.Equal(404, (await backend.SendJsonAsync(HttpMethod.Post, "/api/messages", $$"""{"thread_id":"{{threadId}}","content":"hi"}""", bob)).Status);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[]")]
    [InlineData("""{"thread_id":"t"}""")]
    [InlineData("""{"content":"no thread"}""")]
    [InlineData("""{"thread_id":42,"content":"x"}""")]
    public async Task A_bad_message_body_is_422(string body)
    {
        var (status, answer) = await backend.SendJsonAsync(HttpMethod.Post, "/api/messages", body, StagingTopology.AccessToken());

        Assert.Equal(422, status);
        Assert.NotEmpty(answer["detail"]!.AsArray());
    }

    /// <summary>
    /// Input from the hardening issue, each a regression test: before, a key twice or an unpaired surrogate escape threw
    /// in the handler (500), NUL reached PostgreSQL (503 with its error text) and invalid UTF-8 was stored as U+FFFD.
    /// Now each is a 4xx in the API's shape naming the field, never a 500 and never an exception's text.
    /// </summary>
    [Theory]
    [InlineData("/api/threads", """{"title":"caf\xc3\x28"}""", "json_invalid", "body", "JSON decode error: not valid UTF-8 text")]
    [InlineData("/api/threads", """{"title":"a","title":"b"}""", "json_invalid", "body,title", "the key 'title' appears more than once")]
    [InlineData("/api/threads", """{"title":"\ud800"}""", "string_unicode", "body,title", "text with an unpaired surrogate is not valid Unicode")]
    [InlineData("/api/threads", """{"title":"a\u0000b"}""", "value_error", "body,title", "text must not contain NUL")]
    [InlineData("/api/threads", """{"title":5}""", "string_type", "body,title", "Input should be a valid string")]
    [InlineData("/api/threads", """{"title":"x"]""", "json_invalid", "body", "JSON decode error: not valid JSON at line 1, byte 13")]
    [InlineData("/api/messages", """{"thread_id":"t","content":"\udfff"}""", "string_unicode", "body,content", "text with an unpaired surrogate")]
    [InlineData("/api/messages", """{"thread_id":"t\u0000","content":"x"}""", "value_error", "body,thread_id", "text must not contain NUL")]
    [InlineData("/api/messages", """{"thread_id":"t","content":"x","content":"y"}""", "json_invalid", "body,content", "the key 'content' appears more than once")]
    [InlineData("/api/agents/execute", """{"message":"\xff\xfe"}""", "json_invalid", "body", "JSON decode error: not valid UTF-8 text")]
    [InlineData("/api/agents/execute", """{"message":"cost\u0000report"}""", "value_error", "body,message", "text must not contain NUL")]
    [InlineData("/api/agents/execute", """{"message":"ok","agent_type":"\ud83d"}""", "string_unicode", "body,agent_type", "text with an unpaired surrogate")]
    [InlineData("/api/agents/execute", """{"message":"ok","message":"again"}""", "json_invalid", "body,message", "the key 'message' appears more than once")]
    public async Task Invalid_input_is_a_4xx_naming_the_field_never_a_500(string path, string body, string type, string location, string message)
    {
        var (status, answer) = await backend.SendBytesAsync(HttpMethod.Post, path, Bytes(body), StagingTopology.AccessToken());

        Assert.Equal(422, status);
        var detail = answer["detail"]![0]!;
        Assert.Equal(type, detail["type"]!.GetValue<string>());
        Assert.Equal(location.Split(','), detail["loc"]!.AsArray().Select(l => l!.ToString()));
        Assert.StartsWith(message, detail["msg"]!.GetValue<string>());
        Assert.DoesNotContain("Exception", answer.ToJsonString());
        Assert.DoesNotContain("BytePositionInLine", answer.ToJsonString());
    }

    [Fact]
    public async Task A_body_past_one_mebibyte_is_413_and_a_nul_in_the_query_is_422_naming_it()
    {
        var (tooLarge, body) = await backend.SendBytesAsync(HttpMethod.Post, "/api/threads",
            Encoding.UTF8.GetBytes($$"""{"title":"{{new string('x', 2 * 1024 * 1024)}}"}"""), StagingTopology.AccessToken());
        Assert.Equal(413, tooLarge);
        Assert.Equal("Request body too large: at most 1048576 bytes", body["detail"]!.GetValue<string>());

        var (status, answer) = await backend.GetJsonAsync("/api/messages?thread_id=t%00", StagingTopology.AccessToken());
        Assert.Equal(422, status);
        Assert.Equal(["query", "thread_id"], answer["detail"]![0]!["loc"]!.AsArray().Select(l => l!.GetValue<string>()));
    }

    /// <summary>The body's bytes, with every \xNN written in it made that byte (so a test can send invalid UTF-8).</summary>
    private static byte[] Bytes(string body)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] == '\\' && i + 3 < body.Length && body[i + 1] == 'x')
            {
                bytes.Add(Convert.ToByte(body.Substring(i + 2, 2), 16));
                i += 3;
                continue;
            }
            bytes.AddRange(Encoding.UTF8.GetBytes(body[i].ToString()));
        }
        return [.. bytes];
    }

    [Fact]
    public async Task Agents_execute_runs_an_agent_and_answers_with_its_result()
    {
        var (status, body) = await backend.SendJsonAsync(HttpMethod.Post, "/api/agents/execute", """{"message":"Summarise our cloud spend"}""", StagingTopology.AccessToken());

        Assert.Equal(200, status);
        Assert.Equal("completed", body["status"]!.GetValue<string>());
        Assert.StartsWith("run_", body["run_id"]!.GetValue<string>());
        Assert.Contains("Summarise our cloud spend", body["result"]!["summary"]!.GetValue<string>());
        Assert.Equal(["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"],
            body["events"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    [Theory]
    [InlineData("{not json", "json_invalid")]
    [InlineData("""{"agent_type":"triage"}""", "missing")]
    [InlineData("""{"message":""}""", "missing")]
    [InlineData("""{"message":["a"]}""", "string_type")]
    [InlineData("\"just a string\"", "model_attributes_type")]
    public async Task Agents_execute_with_a_bad_body_is_422(string body, string errorType)
    {
        var (status, answer) = await backend.SendJsonAsync(HttpMethod.Post, "/api/agents/execute", body);

        Assert.Equal(422, status);
        Assert.Equal(errorType, answer["detail"]![0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Agents_execute_with_put_is_405_and_unknown_routes_are_404()
    {
        var (putStatus, put) = await backend.SendJsonAsync(HttpMethod.Put, "/api/agents/execute", """{"message":"x"}""");
        Assert.Equal(405, putStatus);
        Assert.Equal("Method Not Allowed", put["detail"]!.GetValue<string>());

        var (missingStatus, missing) = await backend.GetJsonAsync("/api/does-not-exist");
        Assert.Equal(404, missingStatus);
        Assert.Equal("Not Found", missing["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_token_from_the_auth_service_opens_the_backend()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://{backend.Environment["auth"].Endpoint}/auth/e2e/test-auth")
        {
            Content = new StringContent("""{"email":"carol@example.com","name":"Carol"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-E2E-Bypass-Key", StagingTopology.BypassKey);
        using var response = await backend.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();

        var (status, _) = await backend.GetJsonAsync("/api/threads", token);

        Assert.Equal(200, status);
    }
}
