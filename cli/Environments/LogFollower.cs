using System.Text;
using Spectre.Console;

namespace Replica.Cli.Environments;

/// <summary>Follows log files like `tail -f`, printing each new line with its service name (compose's aggregated log view).</summary>
internal sealed class LogFollower
{
    private static readonly string[] Colors = ["cyan", "yellow", "magenta", "green", "blue", "aqua", "orange1", "violet"];
    private readonly IReadOnlyList<(string Service, string File)> _files;
    private readonly bool _prefix;
    private readonly bool _color;
    private readonly Dictionary<string, long> _positions = [];
    private readonly Dictionary<string, string> _partial = [];

    public LogFollower(IReadOnlyList<(string Service, string File)> files, bool prefix, bool color, bool fromEnd = false)
    {
        _files = files;
        _prefix = prefix;
        _color = color;
        foreach (var (_, file) in files)
        {
            _positions[file] = fromEnd && File.Exists(file) ? new FileInfo(file).Length : 0;
            _partial[file] = "";
        }
    }

    /// <summary>Prints what is new, then keeps polling until <paramref name="cancellationToken"/> or <paramref name="stop"/> says so.</summary>
    public async Task FollowAsync(Func<bool> stop, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            PrintNew();
            if (stop())
            {
                PrintNew();
                return;
            }
            try
            {
                await Task.Delay(150, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                PrintNew();
                return;
            }
        }
    }

    public void PrintNew()
    {
        var width = _files.Count == 0 ? 0 : _files.Max(f => f.Service.Length);
        for (var i = 0; i < _files.Count; i++)
        {
            var (service, file) = _files[i];
            if (!File.Exists(file))
            {
                continue;
            }
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length < _positions[file])
            {
                _positions[file] = 0; // truncated or replaced
            }
            if (stream.Length == _positions[file])
            {
                continue;
            }
            stream.Seek(_positions[file], SeekOrigin.Begin);
            var buffer = new byte[stream.Length - _positions[file]];
            stream.ReadExactly(buffer);
            _positions[file] += buffer.Length;
            var text = _partial[file] + Encoding.UTF8.GetString(buffer);
            var lines = text.Split('\n');
            _partial[file] = lines[^1];
            foreach (var line in lines[..^1])
            {
                Write(service.PadRight(width), line.TrimEnd('\r'), Colors[i % Colors.Length]);
            }
        }
    }

    private void Write(string service, string line, string color)
    {
        if (!_prefix)
        {
            Console.Out.WriteLine(line);
        }
        else if (_color)
        {
            Terminal.Out.MarkupLine($"[{color}]{Markup.Escape(service)} |[/] {Markup.Escape(line)}");
        }
        else
        {
            Console.Out.WriteLine($"{service} | {line}");
        }
    }
}
