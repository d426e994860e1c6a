using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Replica.Cli.Control;

/// <summary>
/// Who may use the control server. Without a user token it listens on loopback only and answers only requests whose
/// Host names a loopback address (so a web page elsewhere cannot reach it by rebinding a DNS name). With a token
/// (<c>--dashboard-token</c>) every request must carry it: the <c>Authorization: Bearer</c> header, or the cookie that
/// opening the page with <c>?token=</c> sets. Reading never changes anything (GET); a request that changes something
/// is a POST with a JSON body, and needs the control token in its header (the CLI) or to come from the page itself
/// (its Origin is this server: a same-origin check, so another site's page cannot drive it).
/// </summary>
internal sealed class ControlAccess(string controlToken, bool userToken)
{
    public const string CookieName = "replica_dashboard";

    /// <summary>The token the CLI sends; the user's token when one was given.</summary>
    public string ControlToken { get; } = controlToken;

    /// <summary>Whether a user token guards every request (a non-loopback address needs one).</summary>
    public bool RequiresToken { get; } = userToken;

    public static string NewToken() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();

    /// <summary>Null when the request may be read; otherwise the status and reason to answer with.</summary>
    public (int Status, string Reason)? CheckRead(HttpContext context)
    {
        if (!RequiresToken)
        {
            return IsLoopbackHost(context.Request.Host.Host) ? null : (421, "this dashboard answers on a loopback address only (set a token to serve others)");
        }
        return HasToken(context) ? null : (401, "a token is required: open the dashboard with ?token=TOKEN");
    }

    /// <summary>Null when the request may change something; otherwise the status and reason.</summary>
    public (int Status, string Reason)? CheckChange(HttpContext context)
    {
        if (CheckRead(context) is { } refused)
        {
            return refused;
        }
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            return (405, "changes are made with POST only");
        }
        if (BearerMatches(context))
        {
            return null;
        }
        var origin = context.Request.Headers.Origin.ToString();
        var self = $"{context.Request.Scheme}://{context.Request.Host}";
        if (origin.Length == 0 || !string.Equals(origin, self, StringComparison.OrdinalIgnoreCase))
        {
            return (403, "a change must come from the dashboard's own page (same origin) or carry the control token");
        }
        if (context.Request.Headers["Sec-Fetch-Site"] is { Count: > 0 } site && site.ToString() != "same-origin")
        {
            return (403, "a change must come from the dashboard's own page (Sec-Fetch-Site: same-origin)");
        }
        return null;
    }

    private bool HasToken(HttpContext context) =>
        BearerMatches(context) || (context.Request.Cookies.TryGetValue(CookieName, out var cookie) && Same(cookie, ControlToken));

    private bool BearerMatches(HttpContext context) =>
        context.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
        && Same(header["Bearer ".Length..], ControlToken);

    public bool Same(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    private static bool IsLoopbackHost(string host) =>
        host is "127.0.0.1" or "localhost" or "[::1]" or "::1" || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip));
}
