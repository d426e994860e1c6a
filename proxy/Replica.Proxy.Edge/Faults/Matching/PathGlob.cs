using System.Text;
using System.Text.RegularExpressions;

namespace Replica.Proxy.Edge.Faults.Matching;

/// <summary>
/// A path pattern: <c>*</c> matches within one segment, <c>**</c> across segments, <c>?</c> one character other than
/// '/'. A trailing <c>/**</c> also matches the bare prefix, so <c>/auth/**</c> matches <c>/auth</c>.
/// Every request is checked against every path rule, and most rules do not match it: a pattern without wildcards is
/// compared as text, and one with wildcards first checks the text before its first wildcard, so the regular
/// expression runs only on paths that can match.
/// </summary>
public sealed class PathGlob : IEquatable<PathGlob>
{
    private readonly Regex? _regex;
    private readonly string _literalPrefix;

    private PathGlob(string pattern, Regex? regex, string literalPrefix)
    {
        Pattern = pattern;
        _regex = regex;
        _literalPrefix = literalPrefix;
    }

    public string Pattern { get; }

    /// <summary>Parses a glob; on failure returns null and says what is wrong.</summary>
    public static PathGlob? TryParse(string pattern, out string? error)
    {
        error = Validate(pattern);
        if (error is not null)
        {
            return null;
        }
        var firstWildcard = pattern.AsSpan().IndexOfAny('*', '?');
        if (firstWildcard < 0)
        {
            return new PathGlob(pattern, null, pattern);
        }
        // What every match starts with; a trailing "/**" also matches without its slash.
        var literalPrefix = pattern[..firstWildcard];
        if (firstWildcard + 2 == pattern.Length && pattern.EndsWith("/**", StringComparison.Ordinal))
        {
            literalPrefix = literalPrefix[..^1];
        }
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var atEnd = i + 2 == pattern.Length;
                var precededBySlash = i > 0 && pattern[i - 1] == '/';
                if (atEnd && precededBySlash)
                {
                    // "/x/**": drop the slash already emitted so that "/x" itself matches too.
                    regex.Length -= 1;
                    regex.Append("(?:/.*)?");
                }
                else if (i + 2 < pattern.Length && pattern[i + 2] == '/')
                {
                    regex.Append("(?:.*/)?");
                    i++;
                }
                else
                {
                    regex.Append(".*");
                }
                i++;
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }
        regex.Append('$');
        return new PathGlob(pattern, new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.Compiled), literalPrefix);
    }

    public static PathGlob Parse(string pattern)
        => TryParse(pattern, out var error) ?? throw new ArgumentException($"invalid path glob '{pattern}': {error}", nameof(pattern));

    public bool IsMatch(string path)
        => _regex is null
            ? string.Equals(path, Pattern, StringComparison.Ordinal)
            : path.StartsWith(_literalPrefix, StringComparison.Ordinal) && _regex.IsMatch(path);

    private static string? Validate(string pattern)
    {
        if (pattern.Length == 0)
        {
            return "must not be empty";
        }
        if (pattern[0] != '/' && !pattern.StartsWith("**", StringComparison.Ordinal))
        {
            return "must start with '/' (or '**')";
        }
        if (pattern.Contains("***", StringComparison.Ordinal))
        {
            return "'***' is not a valid wildcard; use '*' within a segment or '**' across segments";
        }
        var unsupported = pattern.IndexOfAny(['[', ']', '{', '}', '\\', ' ']);
        if (unsupported >= 0)
        {
            return $"character '{pattern[unsupported]}' at position {unsupported} is not supported (only '*', '**' and '?' are wildcards)";
        }
        return null;
    }

    public bool Equals(PathGlob? other) => other is not null && other.Pattern == Pattern;

    public override bool Equals(object? obj) => Equals(obj as PathGlob);

    public override int GetHashCode() => Pattern.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Pattern;
}
