using System.Text;

namespace Replica.Environments.Compose;

/// <summary>
/// Compose's variable interpolation in values: $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error},
/// ${VAR?error}, and $$ for a literal $. Variables come from the process environment and the .env file beside
/// compose.yaml (the process environment wins, as in Compose).
/// </summary>
public sealed class ComposeInterpolation
{
    private readonly IReadOnlyDictionary<string, string> _variables;

    public ComposeInterpolation(IReadOnlyDictionary<string, string> variables) => _variables = variables;

    public static ComposeInterpolation FromEnvironment(string composeDirectory)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var dotEnv = Path.Combine(composeDirectory, ".env");
        if (File.Exists(dotEnv))
        {
            foreach (var raw in File.ReadAllLines(dotEnv))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line.StartsWith('#') || !line.Contains('='))
                {
                    continue;
                }
                var eq = line.IndexOf('=');
                variables[line[..eq].Trim()] = line[(eq + 1)..].Trim().Trim('"', '\'');
            }
        }
        foreach (System.Collections.DictionaryEntry e in System.Environment.GetEnvironmentVariables())
        {
            variables[(string)e.Key] = (string?)e.Value ?? "";
        }
        return new ComposeInterpolation(variables);
    }

    /// <summary>Expands <paramref name="text"/>; returns null and sets <paramref name="error"/> when it cannot.</summary>
    public string? Expand(string text, out string? error)
    {
        error = null;
        if (!text.Contains('$'))
        {
            return text;
        }
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '$' || i + 1 >= text.Length)
            {
                sb.Append(c);
                continue;
            }
            var next = text[i + 1];
            if (next == '$')
            {
                sb.Append('$');
                i++;
            }
            else if (next == '{')
            {
                var close = text.IndexOf('}', i + 2);
                if (close < 0)
                {
                    error = $"unterminated '${{' in \"{text}\"";
                    return null;
                }
                var expr = text[(i + 2)..close];
                var value = Resolve(expr, out error);
                if (value is null)
                {
                    return null;
                }
                sb.Append(value);
                i = close;
            }
            else if (char.IsLetter(next) || next == '_')
            {
                var end = i + 1;
                while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '_'))
                {
                    end++;
                }
                sb.Append(_variables.GetValueOrDefault(text[(i + 1)..end], ""));
                i = end - 1;
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    private string? Resolve(string expr, out string? error)
    {
        error = null;
        foreach (var op in new[] { ":-", ":?", "-", "?" })
        {
            var at = expr.IndexOf(op, StringComparison.Ordinal);
            if (at <= 0)
            {
                continue;
            }
            var name = expr[..at];
            var arg = expr[(at + op.Length)..];
            var has = _variables.TryGetValue(name, out var v);
            var usable = op.StartsWith(':') ? has && v!.Length > 0 : has;
            if (usable)
            {
                return v;
            }
            if (op.EndsWith('?'))
            {
                error = $"required variable {name} is not set{(arg.Length > 0 ? ": " + arg : "")}";
                return null;
            }
            return arg;
        }
        return _variables.GetValueOrDefault(expr, "");
    }
}
