using System.Text;
using CsCheck;
using Replica.Chaos.Scenarios;
using Replica.Environments.Compose;
using Replica.Environments.Errors;
using Replica.Tests.Support;
using Xunit.Abstractions;

namespace Replica.Chaos.Tests;

/// <summary>
/// The compose and scenario loaders on damaged copies of the shipped files: lines dropped, repeated, swapped or
/// re-indented, scalars replaced by hostile YAML (aliases, tags, lone surrogates, NUL, huge values), bytes that are
/// not UTF-8. Property: a file either loads or is refused with exit 2 and a message that names it — never another
/// exception.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class LoaderFuzzTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Hostile =
    [
        "~", "[", "{", "]", "*x", "&x", "!!binary AA==", "!custom", "\"\\ud800\"", "\"\\x00\"", "'", "\"", ": :", "- -", "? x", "|", ">",
        "0x1F", "1e999", "-1", "99999999999999999999", "null", "[1, 2]", "{a: 1}", "\"a\\tb\"", "\t", "%YAML 1.1", "---", "...",
        "${UNSET}", "${X:-d}", "$$", "0ms", "1h", "-5s", "é", "😀", new string('y', 5000),
    ];

    private static readonly Gen<Func<string[], string[]>> LineEdit = Gen.Frequency(
        (3, (IGen<Func<string[], string[]>>)Gen.Double[0, 1].Select<double, Func<string[], string[]>>(at => lines => lines.Where((_, i) => i != Index(at, lines)).ToArray())),
        (2, Gen.Double[0, 1].Select<double, Func<string[], string[]>>(at => lines => [.. lines[..(Index(at, lines) + 1)], .. lines[Index(at, lines)..]])),
        (2, Gen.Select(Gen.Double[0, 1], Gen.Double[0, 1]).Select<(double, double), Func<string[], string[]>>(p => lines =>
        {
            var copy = lines.ToArray();
            (copy[Index(p.Item1, copy)], copy[Index(p.Item2, copy)]) = (copy[Index(p.Item2, copy)], copy[Index(p.Item1, copy)]);
            return copy;
        })),
        (2, Gen.Select(Gen.Double[0, 1], Gen.Int[-3, 3]).Select<(double, int), Func<string[], string[]>>(p => lines =>
        {
            var copy = lines.ToArray();
            var i = Index(p.Item1, copy);
            copy[i] = p.Item2 >= 0 ? new string(' ', p.Item2) + copy[i] : copy[i].TrimStart();
            return copy;
        })),
        (5, Gen.Select(Gen.Double[0, 1], Gen.Int[0, Hostile.Length - 1]).Select<(double, int), Func<string[], string[]>>(p => lines =>
        {
            var copy = lines.ToArray();
            var i = Index(p.Item1, copy);
            var colon = copy[i].IndexOf(": ", StringComparison.Ordinal);
            copy[i] = colon >= 0 ? copy[i][..(colon + 2)] + Hostile[p.Item2] : copy[i] + " " + Hostile[p.Item2];
            return copy;
        })));

    private readonly ScratchDirectory _scratch = new("replica-fuzz-");

    public void Dispose() => _scratch.Dispose();

    /// <summary>A damaged copy: one to four line edits, and sometimes a byte that is not UTF-8.</summary>
    private static Gen<(string Text, bool BadByte, double At)> Damaged(string original) =>
        Gen.Select(LineEdit.Array[1, 4], Gen.Int[0, 5], Gen.Double[0, 1], (edits, bad, at) =>
        (string.Join('\n', edits.Aggregate(original.Split('\n'), (lines, edit) => edit(lines))), bad == 0, at));

    [Fact]
    public Task The_compose_loader_loads_or_refuses_with_exit_2() =>
        RunAsync("compose loader", File.ReadAllText(RepositoryPaths.ComposeFile), "compose.yaml", path => ComposeLoader.Load(path));

    [Theory]
    [InlineData("r2-websocket-1011-redis-late")]
    [InlineData("r3-agent-events-never-arrive")]
    public Task The_scenario_loader_loads_or_refuses_with_exit_2(string scenario) =>
        RunAsync($"scenario loader ({scenario})", File.ReadAllText(Path.Combine(RepositoryPaths.Root, "chaos", "scenarios", scenario + ".yaml")), scenario + ".yaml",
            path => ScenarioLoader.Load(path, RepositoryPaths.ComposeFile));

    private async Task RunAsync(string surface, string original, string fileName, Action<string> load)
    {
        var file = Path.Combine(_scratch.Path, fileName);
        await FuzzRun.RunAsync(surface, FuzzRun.Cases(10_000) / 4, Damaged(original), input =>
            // A loader that does not answer within 10 s on a file this size is hanging: a failure like a crash.
            Task.Run(() => Load(input)).WaitAsync(TimeSpan.FromSeconds(10)),
            input => $"{(input.BadByte ? $"(byte 0xFF at {input.At:0.000}) " : "")}\n{input.Text}", output);

        string Load((string Text, bool BadByte, double At) input)
        {
            var bytes = Encoding.UTF8.GetBytes(input.Text);
            if (input.BadByte && bytes.Length > 0)
            {
                bytes[(int)(input.At * (bytes.Length - 1))] = 0xff;
            }
            File.WriteAllBytes(file, bytes);
            try
            {
                load(file);
                return "loaded";
            }
            catch (ReplicaException refused) when (refused.Kind == ReplicaErrorKind.BadInput && refused.Message.Length > 0)
            {
                return refused is ConfigurationException ? "refused (file:line:column)" : "refused";
            }
        }
    }

    private static int Index(double at, string[] lines) => Math.Min(lines.Length - 1, (int)(at * lines.Length));
}
