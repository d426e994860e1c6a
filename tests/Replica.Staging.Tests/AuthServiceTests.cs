using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Replica.Staging.Common;
using Replica.Tests.Support;

namespace Replica.Staging.Tests;

/// <summary>The auth service as a real process on a real port: the E2E bypass, its tokens, its errors.</summary>
public sealed class AuthServiceTests(AuthServiceFixture auth) : IClassFixture<AuthServiceFixture>, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private string Base => auth.BaseUrl;

    public void Dispose() => _http.Dispose();

    private Task<HttpResponseMessage> TestAuthAsync(string? key, string body, string? baseAddress = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{baseAddress ?? Base}/auth/e2e/test-auth")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Add("X-E2E-Bypass-Key", key);
        }
        return _http.SendAsync(request);
    }

    /// <summary>Validated by Microsoft.IdentityModel as a strict client would: HS256 with the staging secret, issuer, audience, lifetime.</summary>
    private static async Task<JsonWebToken> ValidatedAsync(string token)
    {
        var result = await Hs256Tokens.Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = Hs256Tokens.Key(StagingTopology.JwtSecret),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidIssuer = "netra-auth-service",
            ValidAudience = "netra-platform",
            ClockSkew = TimeSpan.Zero,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        return (JsonWebToken)result.SecurityToken;
    }

    private static async Task<JsonNode> JsonOf(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");

    [Fact]
    public async Task Health_answers_healthy()
    {
        var response = await _http.GetAsync($"{Base}/auth/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"healthy"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Test_auth_returns_tokens_and_the_simulated_user()
    {
        var response = await TestAuthAsync(StagingTopology.BypassKey, """{"email":"alice@example.com","name":"Alice","permissions":["read","agents"]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonOf(response);
        Assert.Equal("Bearer", body["token_type"]!.GetValue<string>());
        Assert.Equal(900, body["expires_in"]!.GetValue<int>());
        var user = body["user"]!;
        Assert.Equal("e2e-alice", user["id"]!.GetValue<string>());
        Assert.Equal("alice@example.com", user["email"]!.GetValue<string>());
        Assert.Equal("Alice", user["name"]!.GetValue<string>());
        Assert.Equal(["read", "agents"], user["permissions"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.True(user["oauth_simulated"]!.GetValue<bool>());

        var access = await ValidatedAsync(body["access_token"]!.GetValue<string>());
        Assert.Equal("e2e-alice", access.Subject);
        Assert.Equal("alice@example.com", access.GetPayloadValue<string>("email"));
        Assert.Equal("access", access.GetPayloadValue<string>("type"));
        Assert.Equal("access", access.GetPayloadValue<string>("token_type"));
        Assert.Equal(["read", "agents"], access.GetPayloadValue<string[]>("permissions"));
        Assert.Equal(TimeSpan.FromSeconds(900), access.ValidTo - access.IssuedAt);
        Assert.False(access.TryGetPayloadValue<long>("nbf", out _));
        Assert.False(string.IsNullOrEmpty(access.Id));

        var refresh = await ValidatedAsync(body["refresh_token"]!.GetValue<string>());
        Assert.Equal("refresh", refresh.GetPayloadValue<string>("type"));
        Assert.Equal(TimeSpan.FromDays(7), refresh.ValidTo - refresh.IssuedAt);
    }

    [Fact]
    public async Task Name_and_permissions_are_optional()
    {
        var response = await TestAuthAsync(StagingTopology.BypassKey, """{"email":"bob@example.com"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = (await JsonOf(response))["user"]!;
        Assert.Equal("bob", user["name"]!.GetValue<string>());
        Assert.Equal(["read", "write"], user["permissions"]!.AsArray().Select(p => p!.GetValue<string>()));
    }

    [Fact]
    public async Task A_missing_key_header_is_401_key_required()
    {
        var response = await TestAuthAsync(null, """{"email":"a@example.com"}""");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("E2E bypass key required", (await JsonOf(response))["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_wrong_key_is_401_invalid_key()
    {
        var response = await TestAuthAsync("not-the-key", """{"email":"a@example.com"}""");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Invalid E2E bypass key", (await JsonOf(response))["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{not json", "json_invalid")]
    [InlineData("", "json_invalid")]
    [InlineData("[1,2]", "model_attributes_type")]
    [InlineData("""{"name":"no email"}""", "missing")]
    [InlineData("""{"email":"not-an-address"}""", "value_error")]
    [InlineData("""{"email":"a@example.com","permissions":"admin"}""", "list_type")]
    public async Task A_bad_body_is_422_with_a_detail_list(string body, string errorType)
    {
        var response = await TestAuthAsync(StagingTopology.BypassKey, body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(errorType, (await JsonOf(response))["detail"]![0]!["type"]!.GetValue<string>());
    }

    /// <summary>Regression tests from the hardening issue: each was a 500 (a key twice, an unpaired surrogate) or silently mangled (invalid UTF-8).</summary>
    [Theory]
    [InlineData(new byte[] { 0x7b, 0x22, 0x65, 0x6d, 0x61, 0x69, 0x6c, 0x22, 0x3a, 0x22, 0xff, 0x40, 0x78, 0x22, 0x7d }, "json_invalid", "body", "JSON decode error: not valid UTF-8 text")]
    public async Task Invalid_utf8_is_422_not_mangled(byte[] body, string type, string location, string message) =>
        await AssertRefusedAsync(new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } }, type, location, message);

    [Theory]
    [InlineData("""{"email":"a@example.com","email":"b@example.com"}""", "json_invalid", "body,email", "the key 'email' appears more than once")]
    [InlineData("""{"email":"a\ud800@example.com"}""", "string_unicode", "body,email", "text with an unpaired surrogate")]
    [InlineData("""{"email":"a@example.com","name":"A\u0000"}""", "value_error", "body,name", "text must not contain NUL")]
    [InlineData("""{"email":"a@example.com","permissions":["read","\udc00"]}""", "string_unicode", "body,permissions,1", "text with an unpaired surrogate")]
    [InlineData("""{"email":"a@example.com","name":7}""", "string_type", "body,name", "Input should be a valid string")]
    [InlineData("{\"email\" \"a@example.com\"}", "json_invalid", "body", "JSON decode error: not valid JSON at line 1, byte 10")]
    public async Task Invalid_input_is_422_naming_the_field_never_a_500(string body, string type, string location, string message) =>
        await AssertRefusedAsync(new StringContent(body, Encoding.UTF8, "application/json"), type, location, message);

    [Fact]
    public async Task A_body_past_one_mebibyte_is_413()
    {
        var response = await TestAuthAsync(StagingTopology.BypassKey, $$"""{"email":"a@example.com","name":"{{new string('x', 2 * 1024 * 1024)}}"}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("Request body too large: at most 1048576 bytes", (await JsonOf(response))["detail"]!.GetValue<string>());
    }

    private async Task AssertRefusedAsync(HttpContent content, string type, string location, string message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Base}/auth/e2e/test-auth") { Content = content };
        request.Headers.Add("X-E2E-Bypass-Key", StagingTopology.BypassKey);
        var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var answer = await JsonOf(response);
        var detail = answer["detail"]![0]!;
        Assert.Equal(type, detail["type"]!.GetValue<string>());
        Assert.Equal(location.Split(','), detail["loc"]!.AsArray().Select(l => l!.ToString()));
        Assert.StartsWith(message, detail["msg"]!.GetValue<string>());
        Assert.DoesNotContain("Exception", answer.ToJsonString());
    }

    [Fact]
    public async Task Unknown_routes_and_wrong_methods_answer_json_errors()
    {
        var missing = await _http.GetAsync($"{Base}/auth/nowhere");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("Not Found", (await JsonOf(missing))["detail"]!.GetValue<string>());

        var wrongMethod = await _http.GetAsync($"{Base}/auth/e2e/test-auth");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("Method Not Allowed", (await JsonOf(wrongMethod))["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_secret_too_short_for_hs256_stops_the_service_at_start_and_names_the_setting()
    {
        await using var state = new IsolatedStateStore();

        var error = await Assert.ThrowsAsync<Replica.Environments.Errors.ReplicaException>(
            () => AuthServiceFixture.StartAsync(state, "staging-auth-short-secret", ("JWT_SECRET_STAGING", "too-short")));

        Assert.Contains("service 'auth' exited with code 2 before it was healthy", error.Message);
        Assert.Contains("JWT_SECRET_STAGING is 9 bytes long: an HS256 secret must be at least 32 bytes (256 bits)", error.Message);
    }

    [Fact]
    public async Task Without_a_configured_key_the_bypass_is_503_and_in_production_403()
    {
        await using var state = new IsolatedStateStore();
        await using (var unconfigured = await AuthServiceFixture.StartAsync(state, "staging-auth-nokey", ("E2E_OAUTH_SIMULATION_KEY", "")))
        {
            var response = await TestAuthAsync(StagingTopology.BypassKey, """{"email":"a@example.com"}""", $"http://{unconfigured["auth"].Endpoint}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("E2E bypass key not configured", (await JsonOf(response))["detail"]!.GetValue<string>());
        }
        await using (var production = await AuthServiceFixture.StartAsync(state, "staging-auth-prod", ("ENVIRONMENT", "production")))
        {
            var response = await TestAuthAsync(StagingTopology.BypassKey, """{"email":"a@example.com"}""", $"http://{production["auth"].Endpoint}");
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("production", (await JsonOf(response))["detail"]!.GetValue<string>());
        }
    }
}
