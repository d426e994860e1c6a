using System.Text;
using System.Text.Json;
using CsCheck;
using Replica.Proxy.Tcp;
using Replica.Tests.Support;
using Xunit.Abstractions;
using static Replica.Tests.Support.FuzzJson;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>
/// The Toxiproxy-compatible API over real HTTP to a real in-process server: every route, bodies built from the
/// documented fields with hostile values and damaged byte by byte. Properties: no 5xx except Toxiproxy's own
/// documented one (500 "listen tcp …" for a listen address that cannot be bound); an error changes nothing (the
/// listing is as before); and whatever is listed can be addressed again — every proxy and toxic is read back and,
/// every 50 cases, deleted through its own URL.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed partial class ToxiproxyApiFuzzTests(ITestOutputHelper output)
{
    // Listen addresses that never need DNS (the fuzz must not send lookups off the machine) nor bind a wildcard.
    private static readonly string[] Listens = ["127.0.0.1:0", "localhost:0", "LOCALHOST:0", "[::1]:0", "127.0.0.1:abc", "127.0.0.1:99999", "x", "[::1", "a:b:c"];

    private static readonly Gen<byte[]> Name = Gen.Frequency((3, (IGen<byte[]>)Gen.Int[1, 3].Select(i => Text($"fz-{i}"))), (2, Str));

    private static readonly Gen<byte[]> Attributes = ObjectOf([
        Field(Gen.OneOf("latency", "jitter", "rate", "delay", "timeout", "average_size", "size_variation", "bytes", "Latency", "mode").Select(Text), Mostly(Num)),
        Field(Gen.OneOf("latency", "rate", "delay", "mode", "timeout").Select(Text), Mostly(Num), 2),
        Field("mode", Mostly(Gen.OneOf("refuse", "hold", "x").Select(Text)), 1),
        Field(Str, Value(1), 1)]);

    private static readonly Gen<byte[]> Toxic = ObjectOf([
        Field("name", Name, 2),
        Field("type", Mostly(Gen.OneOf("latency", "bandwidth", "slow_close", "timeout", "reset_peer", "slicer", "limit_data", "noop", "startup_delay", "nope", "").Select(Text)), 4),
        Field("stream", Mostly(Gen.OneOf("upstream", "downstream", "UpStream", "").Select(Text)), 2),
        Field("toxicity", Num, 1),
        Field("attributes", Mostly(Attributes)),
        Field(Str, Value(1), 1)]);

    private static readonly Gen<byte[]> ListenValue = Gen.OneOf(Listens).Select(Text);

    private static readonly Gen<byte[]> Proxy = ObjectOf([
        Field("name", Name, 4),
        Field("listen", ListenValue, 4),
        Field("upstream", Mostly(Gen.OneOf("127.0.0.1:1", "one.com", "x:1").Select(Text))),
        Field("enabled", Mostly(Gen.OneOf("true", "false").Select(Raw)), 3),
        Field("toxics", ArrayOf(Toxic, 0, 3), 1),
        Field(Str, Value(1), 1)]);

    private static readonly Gen<string> Segment = Gen.Frequency(
        (4, (IGen<string>)Gen.Int[1, 3].Select(i => $"fz-{i}")),
        (1, Gen.OneOf("%00", "a%2Fb", "..", "%2E%2E", "%C3%28", "%ED%A0%80", "é", "x%20y", new string('n', 300), "latency_downstream", "fz-1%00")));

    private static readonly Gen<(string Method, string Path, byte[]? Body)> Request = Gen.Frequency(
        (4, (IGen<(string, string, byte[]?)>)Mutated(Proxy).Select(b => ("POST", "/proxies", (byte[]?)b))),
        (2, Mutated(ArrayOf(Proxy, 0, 3)).Select(b => ("POST", "/populate", (byte[]?)b))),
        (4, Gen.Select(Segment, Mutated(Toxic), (p, b) => ("POST", $"/proxies/{p}/toxics", (byte[]?)b))),
        (2, Gen.Select(Gen.OneOf("POST", "PATCH"), Segment, Mutated(ObjectOf([Field("listen", ListenValue, 1), Field("upstream", Str, 1), Field("enabled", Value(0), 2)])), (m, p, b) => (m, $"/proxies/{p}", (byte[]?)b))),
        (2, Gen.Select(Gen.OneOf("POST", "PATCH"), Segment, Segment, Mutated(ObjectOf([Field("attributes", Attributes), Field("toxicity", Num, 1)])), (m, p, t, b) => (m, $"/proxies/{p}/toxics/{t}", (byte[]?)b))),
        (2, Gen.Select(Gen.OneOf("GET", "DELETE", "PUT"), Segment, Gen.OneOf("", "/toxics", "/toxics/latency_downstream", "/toxics/fz-1", "/toxics/%00"), (m, p, rest) => (m, $"/proxies/{p}{rest}", (byte[]?)null))),
        (1, Gen.OneOf(("GET", "/proxies"), ("GET", "/version"), ("POST", "/reset"), ("GET", "/metrics"), ("GET", "/"), ("POST", "/proxies/"), ("DELETE", "/proxies")).Select(r => (r.Item1, r.Item2, (byte[]?)null))),
        (1, Mutated(Value(2)).Select(b => ("POST", "/proxies", (byte[]?)b))));

    [Fact]
    public async Task Ten_thousand_requests_get_no_undocumented_5xx_and_everything_listed_is_addressable()
    {
        await using var server = await ToxiproxyServer.StartAsync(new ToxiproxyServerOptions { Port = 0, Seed = 7 });
        using var http = new HttpClient { BaseAddress = server.ApiUrl, Timeout = TimeSpan.FromSeconds(30) };
        var before = await ListingAsync(http);
        var n = 0;

        var outcomes = await FuzzRun.RunAsync("toxiproxy API", FuzzRun.Cases(10_000), Request, async request =>
        {
            var body = request.Body is { } b && !OnlySafeListens(b) ? null : request.Body;
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
            if (body is not null)
            {
                message.Content = new ByteArrayContent(body);
            }
            using var response = await http.SendAsync(message);
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            var outcome = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (status >= 500)
            {
                // Toxiproxy's documented 500s: a listen address that does not resolve ("address x: missing port in
                // address", "lookup …") or bind ("listen tcp …").
                if (!ListenError().IsMatch(ErrorOf(text)))
                {
                    throw new InvalidOperationException($"{request.Method} {request.Path} answered {status}: {text}");
                }
                outcome = "500 listen (documented)";
            }
            else if (status == 400 && text.Length == 0)
            {
                // Kestrel's own answer to a request line it refuses (a NUL in the path), before any handler runs.
                outcome = "400 (Kestrel, request line)";
            }
            else if (status is 400 or 409 && ErrorOf(text).Length == 0)
            {
                throw new InvalidOperationException($"{status} without an error message: {text}");
            }
            var after = await ListingAsync(http);
            // Reset and updates are Toxiproxy's own partial operations (a start failure keeps what was done); the rest
            // change nothing when they fail.
            var atomic = status is >= 400 and < 500 || request.Path is "/proxies" or "/populate";
            if (status >= 400 && atomic && after != before)
            {
                throw new InvalidOperationException($"{request.Method} {request.Path} answered {status} and the proxies changed:\n  before {before}\n  after  {after}");
            }
            await CheckAddressableAsync(http, after, deleteAll: ++n % 50 == 0);
            before = await ListingAsync(http);
            return outcome;
        }, r => $"{r.Method} {r.Path} {(r.Body is null ? "" : Show(r.Body))}", output);

        Assert.DoesNotContain(outcomes.Keys, k => k.StartsWith('5') && k != "500 listen (documented)");
    }

    [System.Text.RegularExpressions.GeneratedRegex("^(listen tcp|address |lookup )")]
    private static partial System.Text.RegularExpressions.Regex ListenError();

    // Every proxy and toxic listed can be read through its own URL (and deleted, when asked).
    private static async Task CheckAddressableAsync(HttpClient http, string listing, bool deleteAll)
    {
        foreach (var proxy in JsonDocument.Parse(listing).RootElement.EnumerateObject())
        {
            var segment = Uri.EscapeDataString(proxy.Name);
            foreach (var toxic in proxy.Value.GetProperty("toxics").EnumerateArray())
            {
                var toxicSegment = Uri.EscapeDataString(toxic.GetProperty("name").GetString()!);
                await ExpectAsync(http, deleteAll ? "DELETE" : "GET", $"/proxies/{segment}/toxics/{toxicSegment}", deleteAll ? 204 : 200);
            }
            await ExpectAsync(http, deleteAll ? "DELETE" : "GET", $"/proxies/{segment}", deleteAll ? 204 : 200);
        }
    }

    private static async Task ExpectAsync(HttpClient http, string method, string path, int status)
    {
        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        if ((int)response.StatusCode != status)
        {
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}, expected {status}: a listed name cannot be addressed");
        }
    }

    private static async Task<string> ListingAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/proxies");
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != 200)
        {
            throw new InvalidOperationException($"GET /proxies answered {(int)response.StatusCode}: {text}");
        }
        using var _ = JsonDocument.Parse(text);
        return text;
    }

    private static string ErrorOf(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("error", out var error) ? error.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    /// <summary>
    /// Whether every listen address in the body (keys in any case, as the API reads them) is one of
    /// <see cref="Listens"/>: a damaged address could be a host name, and its lookup would leave the machine.
    /// </summary>
    private static bool OnlySafeListens(byte[] body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { AllowMultipleValues = true });
        try
        {
            var nextIsListen = false;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    nextIsListen = reader.ValueTextEquals("listen"u8) || (reader.ValueSpan.Length == 6 && string.Equals(Encoding.UTF8.GetString(reader.ValueSpan), "listen", StringComparison.OrdinalIgnoreCase));
                    continue;
                }
                if (nextIsListen && reader.TokenType == JsonTokenType.String && !Listens.Contains(Encoding.UTF8.GetString(reader.ValueSpan)))
                {
                    return false;
                }
                nextIsListen = false;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Malformed, or a name that does not decode: the server refuses the body before reading any listen.
        }
        return true;
    }
}
