using System.Globalization;
using Replica.Environments.Errors;

namespace Replica.Bench;

/// <summary>
/// A benchmark's arguments, positional (`NAME 2000 5`) or named (`NAME --count 500`). A missing one takes its default;
/// a malformed one is a one-line error naming it (a <see cref="ReplicaException"/> with exit code 2, printed by Program).
/// </summary>
public static class BenchArguments
{
    /// <summary>The whole number at <paramref name="position"/> (0-based), at least <paramref name="min"/>.</summary>
    public static int Int(string[] args, int position, string name, int fallback, int min = 1) =>
        position < args.Length ? ParseInt(args[position], $"argument {position + 1} ({name})", min) : fallback;

    /// <summary>The number at <paramref name="position"/> (0-based, invariant culture), greater than 0.</summary>
    public static double Double(string[] args, int position, string name, double fallback)
    {
        if (position >= args.Length)
        {
            return fallback;
        }
        if (!double.TryParse(args[position], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value > 0) || double.IsInfinity(value))
        {
            throw new ReplicaException($"argument {position + 1} ({name}): expected a number greater than 0, e.g. 1.5, got '{args[position]}'", kind: ReplicaErrorKind.BadInput);
        }
        return value;
    }

    /// <summary>The text at <paramref name="position"/> (0-based).</summary>
    public static string Text(string[] args, int position, string fallback) => position < args.Length ? args[position] : fallback;

    /// <summary>The text at <paramref name="position"/> (0-based), one of <paramref name="choices"/> (the first is the default).</summary>
    public static string Choice(string[] args, int position, string name, params string[] choices)
    {
        var value = Text(args, position, choices[0]);
        if (!choices.Contains(value, StringComparer.Ordinal))
        {
            throw new ReplicaException($"argument {position + 1} ({name}): expected {string.Join(" or ", choices)}, got '{value}'", kind: ReplicaErrorKind.BadInput);
        }
        return value;
    }

    /// <summary>The whole number after <paramref name="option"/> (e.g. --count 500), at least <paramref name="min"/>.</summary>
    public static int Option(string[] args, string option, int fallback, int min = 1)
    {
        var index = Array.IndexOf(args, option);
        if (index < 0)
        {
            return fallback;
        }
        if (index + 1 >= args.Length)
        {
            throw new ReplicaException($"{option} needs a value, e.g. {option} {fallback}", kind: ReplicaErrorKind.BadInput);
        }
        return ParseInt(args[index + 1], option, min);
    }

    private static int ParseInt(string text, string what, int min)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            throw new ReplicaException($"{what}: expected a whole number of at least {min}, got '{text}'", kind: ReplicaErrorKind.BadInput);
        }
        return value;
    }
}
