using System.Text;

namespace Replica.Environments.Hosting;

/// <summary>The last lines of a log file, read from its end (logs can be large).</summary>
public static class LogTail
{
    public static IReadOnlyList<string> Read(string file, int lines)
    {
        if (!File.Exists(file))
        {
            return [];
        }
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var length = stream.Length;
        var take = (int)Math.Min(length, 64 * 1024);
        stream.Seek(length - take, SeekOrigin.Begin);
        var buffer = new byte[take];
        stream.ReadExactly(buffer);
        var text = Encoding.UTF8.GetString(buffer);
        var all = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (all.Count > 0 && all[^1].Length == 0)
        {
            all.RemoveAt(all.Count - 1);
        }
        if (take < length && all.Count > 0)
        {
            all.RemoveAt(0); // a partial first line
        }
        return all.TakeLast(lines).ToList();
    }
}
