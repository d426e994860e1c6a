using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Replica.Staging.Backend.Auth;
using Replica.Staging.Common;

namespace Replica.Staging.Tests;

/// <summary>
/// The backend's token check on Microsoft.IdentityModel, with tokens minted by the same library: which tokens open the
/// backend and, for every other, the reason given (never an exception). Times are relative to now: the library reads
/// the system clock.
/// </summary>
public sealed class AccessTokenValidatorTests
{
    private const string Secret = "a-test-secret-of-reasonable-length";
    private static readonly AccessTokenValidator Validator = new(Secret);

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static JsonObject Claims(long? exp = null, long? nbf = null)
    {
        var claims = new JsonObject { ["sub"] = "user-1", ["type"] = "access", ["exp"] = exp ?? Now + 900 };
        if (nbf is { } n)
        {
            claims["nbf"] = n;
        }
        return claims;
    }

    private static string Sign(JsonObject claims, string secret = Secret) => Hs256Tokens.Sign(claims.ToJsonString(), secret);

    private static async Task<string?> ErrorOf(string token, AccessTokenValidator? validator = null)
    {
        var (user, error) = await (validator ?? Validator).ValidateAsync(token);
        Assert.True(user is null == error is not null);
        return error;
    }

    /// <summary>A token with any header, its HMAC-SHA256 computed by hand: the library will not write a lying header.</summary>
    private static string SignedWithHeader(string headerJson, JsonObject claims)
    {
        var input = Base64UrlEncoder.Encode(headerJson) + "." + Base64UrlEncoder.Encode(claims.ToJsonString());
        using var hmac = new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes(Secret));
        return input + "." + Base64UrlEncoder.Encode(hmac.ComputeHash(Encoding.ASCII.GetBytes(input)));
    }

    [Fact]
    public async Task A_signed_access_token_gives_back_its_user()
    {
        var claims = Claims();
        claims["email"] = "user-1@example.com";
        claims["permissions"] = new JsonArray("read", 5, "write");

        var (user, error) = await Validator.ValidateAsync(Sign(claims));

        Assert.Null(error);
        Assert.Equal("user-1", user!.UserId);
        Assert.Equal("user-1@example.com", user.Email);
        Assert.Equal(["read", "write"], user.Permissions);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(claims["exp"]!.GetValue<long>()), user.ExpiresAt);
        Assert.Equal(3, Sign(claims).Split('.').Length);
    }

    [Fact]
    public async Task A_token_signed_by_hand_as_another_implementation_would_verifies_and_a_wrong_secret_does_not()
    {
        // HMAC-SHA256 over base64url(header).base64url(payload), computed without the library (as PyJWT or jose would).
        var token = SignedWithHeader("""{"alg":"HS256","typ":"JWT"}""", Claims());

        Assert.Null(await ErrorOf(token));
        Assert.Equal("invalid signature", await ErrorOf(token, new AccessTokenValidator("another-secret-of-a-good-length-0123")));
    }

    [Fact]
    public async Task Tokens_with_and_without_aud_and_iss_open_the_backend_but_wrong_ones_do_not()
    {
        var withBoth = Claims();
        withBoth["iss"] = StagingTokenClaims.Issuer;
        withBoth["aud"] = StagingTokenClaims.Audience;
        var audienceList = Claims();
        audienceList["aud"] = new JsonArray("another-api", StagingTokenClaims.Audience);
        var wrongIssuer = Claims();
        wrongIssuer["iss"] = "someone-else";
        var wrongAudience = Claims();
        wrongAudience["aud"] = "another-api";

        Assert.Null(await ErrorOf(Sign(Claims())));
        Assert.Null(await ErrorOf(Sign(withBoth)));
        Assert.Null(await ErrorOf(Sign(audienceList)));
        Assert.Equal("wrong issuer", await ErrorOf(Sign(wrongIssuer)));
        Assert.Equal("wrong audience", await ErrorOf(Sign(wrongAudience)));
    }

    [Fact]
    public async Task Only_access_tokens_with_a_subject_are_accepted()
    {
        var refresh = Claims();
        refresh["type"] = "refresh";
        var viaTokenType = Claims();
        viaTokenType.Remove("type");
        viaTokenType["token_type"] = "access";
        var emptySubject = Claims();
        emptySubject["sub"] = "";
        var noSubject = Claims();
        noSubject.Remove("sub");

        Assert.Equal("not an access token", await ErrorOf(Sign(refresh)));
        Assert.Null(await ErrorOf(Sign(viaTokenType)));
        Assert.Equal("token has no subject", await ErrorOf(Sign(emptySubject)));
        Assert.Equal("token has no subject", await ErrorOf(Sign(noSubject)));
    }

    [Fact]
    public async Task Any_algorithm_but_hs256_is_refused()
    {
        var hs512 = Hs256Tokens.Handler.CreateToken(Claims().ToJsonString(), new SigningCredentials(Hs256Tokens.Key(Secret + Secret), SecurityAlgorithms.HmacSha512));
        var unsigned = Hs256Tokens.Handler.CreateToken(Claims().ToJsonString());

        Assert.Equal("invalid signature", await ErrorOf(hs512));
        Assert.EndsWith(".", unsigned);
        Assert.Equal("invalid signature", await ErrorOf(unsigned));
        // Headers no library writes, with a correct HMAC-SHA256 over them: still refused.
        Assert.NotNull(await ErrorOf(SignedWithHeader("""{"alg":"hs256","typ":"JWT"}""", Claims())));
        Assert.NotNull(await ErrorOf(SignedWithHeader("""{"typ":"JWT"}""", Claims())));
        Assert.NotNull(await ErrorOf(SignedWithHeader("""{"alg":"none","typ":"JWT"}""", Claims())));
    }

    [Fact]
    public async Task A_wrong_secret_a_changed_payload_or_a_cut_signature_fail_the_signature_check()
    {
        var token = Sign(Claims());
        var parts = token.Split('.');
        var signature = Base64UrlEncoder.DecodeBytes(parts[2]);
        var forged = Base64UrlEncoder.Encode(new JsonObject { ["sub"] = "admin", ["type"] = "access", ["exp"] = Now + 900 }.ToJsonString());

        foreach (var candidate in new[]
        {
            Sign(Claims(), "another-secret-of-a-good-length-0123"),
            $"{parts[0]}.{forged}.{parts[2]}",
            $"{parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode(signature[..^1])}",
            $"{parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode([.. signature, 0])}",
        })
        {
            Assert.Equal("invalid signature", await ErrorOf(candidate));
        }
    }

    [Fact]
    public async Task Exp_is_required_and_enforced_without_clock_skew()
    {
        Assert.Null(await ErrorOf(Sign(Claims(exp: Now + 5))));
        Assert.Equal("token expired", await ErrorOf(Sign(Claims(exp: Now - 1))));
        var noExp = Claims();
        noExp.Remove("exp");
        Assert.Equal("token has no exp claim", await ErrorOf(Sign(noExp)));
        var textExp = Claims();
        textExp["exp"] = "tomorrow";
        Assert.Equal("malformed token", await ErrorOf(Sign(textExp)));
    }

    [Theory]
    [InlineData("253402300800")]
    [InlineData("1000000000000")]
    [InlineData("1e300")]
    [InlineData("1e400")]
    public async Task An_exp_past_year_9999_is_refused_as_a_bad_token_not_thrown_on(string exp)
    {
        var token = Hs256Tokens.Sign($$"""{"sub":"x","type":"access","exp":{{exp}}}""", Secret);

        Assert.NotNull(await ErrorOf(token));
    }

    [Fact]
    public async Task The_last_second_of_year_9999_is_a_valid_exp_and_the_next_is_out_of_range()
    {
        Assert.Null(await ErrorOf(Sign(Claims(exp: Hs256Tokens.LatestExp))));
        Assert.Equal("exp claim out of range", await ErrorOf(Sign(Claims(exp: Hs256Tokens.LatestExp + 1))));
    }

    [Fact]
    public async Task Nbf_in_the_future_is_refused_and_in_the_past_accepted()
    {
        Assert.Equal("token not yet valid", await ErrorOf(Sign(Claims(nbf: Now + 60))));
        Assert.Null(await ErrorOf(Sign(Claims(nbf: Now - 5))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a..c")]
    [InlineData("!!!.???.***")]
    [InlineData("e30.e30.e30.e30")]
    public async Task Malformed_tokens_are_refused_without_throwing(string token)
    {
        Assert.Equal("malformed token", await ErrorOf(token));
    }

    [Fact]
    public async Task A_payload_that_is_not_a_json_object_is_refused()
    {
        var input = Base64UrlEncoder.Encode("""{"alg":"HS256"}""") + "." + Base64UrlEncoder.Encode("[1,2]");

        Assert.Equal("malformed token", await ErrorOf(input + ".c2ln"));
    }

    [Fact]
    public async Task Without_a_secret_no_token_verifies()
    {
        var validator = new AccessTokenValidator(null);

        Assert.False(validator.IsConfigured);
        Assert.Equal("no signing secret configured", await ErrorOf(Sign(Claims()), validator));
    }

    [Fact]
    public void A_secret_too_short_for_the_library_is_named_as_a_setting_problem()
    {
        Assert.Equal("JWT_SECRET_KEY is 31 bytes long: an HS256 secret must be at least 32 bytes (256 bits)", JwtSecretSetting.CheckSecret("JWT_SECRET_KEY", new string('k', 31)));
        Assert.Null(JwtSecretSetting.CheckSecret("JWT_SECRET_KEY", new string('k', 32)));
        Assert.False(new AccessTokenValidator(new string('k', 31)).IsConfigured);
        Assert.True(new AccessTokenValidator(new string('k', 32)).IsConfigured);
    }

    [Fact]
    public void The_payload_is_signed_as_given()
    {
        var token = new JsonWebToken(Sign(Claims(exp: 2_000_000_000)));

        Assert.Equal("HS256", token.Alg);
        Assert.Equal("user-1", token.Subject);
        Assert.Equal(2_000_000_000, token.GetPayloadValue<long>("exp"));
        Assert.False(token.TryGetPayloadValue<long>("iat", out _));
        Assert.False(token.TryGetPayloadValue<long>("nbf", out _));
    }
}
