using Microsoft.AspNetCore.Routing.Patterns;

namespace Replica.Proxy.Edge.Forwarding;

/// <summary>
/// Requests whose path matches <see cref="Pattern"/> go to <see cref="Upstream"/>; the path is forwarded unchanged.
/// The pattern is an ASP.NET route template (<c>/auth/{**rest}</c>); a trailing <c>/**</c> is accepted as shorthand
/// for <c>/{**rest}</c>. Routes are tried in the order given.
/// </summary>
public sealed record EdgeRoute(string Name, string Pattern, Uri Upstream)
{
    internal string RoutePattern => Pattern.EndsWith("/**", StringComparison.Ordinal) ? Pattern[..^2] + "{**rest}" : Pattern;

    /// <summary>Returns what is wrong with the route, or null.</summary>
    internal string? Validate()
    {
        if (Name.Length == 0 || !Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return $"route name '{Name}' must be letters, digits, '-' or '_'";
        }
        if (!Pattern.StartsWith('/'))
        {
            return $"route '{Name}': pattern '{Pattern}' must start with '/'";
        }
        try
        {
            RoutePatternFactory.Parse(RoutePattern);
        }
        catch (RoutePatternException e)
        {
            return $"route '{Name}': pattern '{Pattern}' is not a route template ({e.Message})";
        }
        if (!Upstream.IsAbsoluteUri || Upstream.Scheme is not ("http" or "https"))
        {
            return $"route '{Name}': upstream '{Upstream}' must be an absolute http:// or https:// URL";
        }
        return null;
    }
}
