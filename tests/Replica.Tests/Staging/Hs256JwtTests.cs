using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Replica.Staging.Shared;

namespace Replica.Tests.Staging;

public sealed class Hs256JwtTests
{
    private const string Secret = "a-test-secret-of-reasonable-length";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    private static JsonObject Claims(long? exp = null, long? nbf = null)
    {
        var claims = new JsonObject { ["sub"] = "user-1", ["exp"] = exp ?? Now.ToUnixTimeSeconds() + 900 };
        if (nbf is { } n)
        {
            claims["nbf"] = n;
        }
        return claims;
    }

    /// <summary>A token with any header, signed correctly with <see cref="Secret"/>.</summary>
    private static string SignedWithHeader(string headerJson, JsonObject claims)
    {
        var input = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(headerJson)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        return input + "." + Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.ASCII.GetBytes(input)));
    }

    [Fact]
    public void A_signed_token_verifies_and_gives_back_its_claims()
    {
        var token = Hs256Jwt.Sign(Claims(), Secret);

        Assert.True(Hs256Jwt.TryVerify(token, Secret, Now, out var claims, out var error), error);
        Assert.Equal("user-1", claims["sub"]!.GetValue<string>());
        Assert.Equal(3, token.Split('.').Length);
    }

    [Fact]
    public void The_signature_matches_an_independent_implementation()
    {
        // jwt.io's example token, signed by another library with the secret "your-256-bit-secret". It has no exp, so
        // verification gets past the signature and stops at the missing claim; with another secret it stops at the signature.
        const string token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

        Assert.False(Hs256Jwt.TryVerify(token, "your-256-bit-secret", Now, out _, out var error));
        Assert.Equal("token has no exp claim", error);
        Assert.False(Hs256Jwt.TryVerify(token, "another-secret", Now, out _, out error));
        Assert.Equal("invalid signature", error);
    }

    [Theory]
    [InlineData("""{"alg":"none","typ":"JWT"}""")]
    [InlineData("""{"alg":"HS512","typ":"JWT"}""")]
    [InlineData("""{"alg":"hs256","typ":"JWT"}""")]
    [InlineData("""{"typ":"JWT"}""")]
    public void Any_algorithm_but_HS256_is_refused_even_with_a_valid_HMAC(string header)
    {
        Assert.False(Hs256Jwt.TryVerify(SignedWithHeader(header, Claims()), Secret, Now, out _, out var error));
        Assert.Equal("unsupported algorithm (HS256 required)", error);
    }

    [Fact]
    public void An_unsigned_alg_none_token_is_refused()
    {
        var token = Base64Url.EncodeToString("""{"alg":"none"}"""u8) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Claims().ToJsonString())) + ".";

        Assert.False(Hs256Jwt.TryVerify(token, Secret, Now, out _, out var error));
        Assert.Equal("malformed token", error);
    }

    [Fact]
    public void A_wrong_secret_a_changed_payload_or_a_cut_signature_fail_the_signature_check()
    {
        var token = Hs256Jwt.Sign(Claims(), Secret);
        var parts = token.Split('.');
        var signature = Base64Url.DecodeFromChars(parts[2]);
        var forgedPayload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(new JsonObject { ["sub"] = "admin", ["exp"] = Now.ToUnixTimeSeconds() + 900 }.ToJsonString()));

        foreach (var (candidate, secret) in new[]
        {
            (token, "another-secret"),
            ($"{parts[0]}.{forgedPayload}.{parts[2]}", Secret),
            ($"{parts[0]}.{parts[1]}.{Base64Url.EncodeToString(signature[..^1])}", Secret),
            ($"{parts[0]}.{parts[1]}.{Base64Url.EncodeToString([.. signature, 0])}", Secret),
        })
        {
            Assert.False(Hs256Jwt.TryVerify(candidate, secret, Now, out _, out var error));
            Assert.Equal("invalid signature", error);
        }
    }

    [Fact]
    public void Exp_is_required_and_enforced_to_the_second()
    {
        var exp = Now.ToUnixTimeSeconds() + 10;
        var token = Hs256Jwt.Sign(Claims(exp: exp), Secret);

        Assert.True(Hs256Jwt.TryVerify(token, Secret, Now.AddSeconds(9), out _, out _));
        Assert.False(Hs256Jwt.TryVerify(token, Secret, Now.AddSeconds(10), out _, out var error));
        Assert.Equal("token expired", error);

        Assert.False(Hs256Jwt.TryVerify(Hs256Jwt.Sign(new JsonObject { ["sub"] = "x" }, Secret), Secret, Now, out _, out error));
        Assert.Equal("token has no exp claim", error);
        Assert.False(Hs256Jwt.TryVerify(Hs256Jwt.Sign(new JsonObject { ["exp"] = "tomorrow" }, Secret), Secret, Now, out _, out error));
        Assert.Equal("token has no exp claim", error);
    }

    [Fact]
    public void Exp_past_year_9999_is_refused_not_thrown_on()
    {
        var last = DateTimeOffset.MaxValue.ToUnixTimeSeconds();
        Assert.True(Hs256Jwt.TryVerify(Hs256Jwt.Sign(Claims(exp: last), Secret), Secret, Now, out _, out _));

        Assert.False(Hs256Jwt.TryVerify(Hs256Jwt.Sign(Claims(exp: last + 1), Secret), Secret, Now, out _, out var error));
        Assert.Equal("exp claim out of range", error);
        var huge = JsonNode.Parse("""{"sub":"x","exp":1e400}""")!.AsObject();
        Assert.False(Hs256Jwt.TryVerify(Hs256Jwt.Sign(huge, Secret), Secret, Now, out _, out error));
        Assert.Equal("token has no exp claim", error);
    }

    [Fact]
    public void Nbf_in_the_future_is_refused_and_in_the_past_accepted()
    {
        Assert.False(Hs256Jwt.TryVerify(Hs256Jwt.Sign(Claims(nbf: Now.ToUnixTimeSeconds() + 5), Secret), Secret, Now, out _, out var error));
        Assert.Equal("token not yet valid", error);
        Assert.True(Hs256Jwt.TryVerify(Hs256Jwt.Sign(Claims(nbf: Now.ToUnixTimeSeconds() - 5), Secret), Secret, Now, out _, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a..c")]
    [InlineData("!!!.???.***")]
    [InlineData("e30.e30.e30.e30")]
    public void Malformed_tokens_are_refused_without_throwing(string token)
    {
        Assert.False(Hs256Jwt.TryVerify(token, Secret, Now, out _, out var error));
        Assert.StartsWith("malformed", error);
    }

    [Fact]
    public void A_payload_that_is_not_a_json_object_is_refused()
    {
        var input = Base64Url.EncodeToString("""{"alg":"HS256"}"""u8) + "." + Base64Url.EncodeToString("[1,2]"u8);
        var token = input + "." + Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.ASCII.GetBytes(input)));

        Assert.False(Hs256Jwt.TryVerify(token, Secret, Now, out _, out var error));
        Assert.Equal("malformed token payload", error);
    }

    [Fact]
    public void No_secret_means_no_token_verifies()
    {
        Assert.False(Hs256Jwt.TryVerify(Hs256Jwt.Sign(Claims(), Secret), "", Now, out _, out var error));
        Assert.Equal("no signing secret configured", error);
    }
}
