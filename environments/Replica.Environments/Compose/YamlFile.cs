using Replica.Environments.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Replica.Environments.Compose;

/// <summary>
/// A YAML file as the loaders read it: the name problems are reported under (relative to the current directory when
/// below it, else absolute) and the first document's root node, with anchors and merge keys (&lt;&lt;) resolved. An
/// empty file and a syntax error are a <see cref="ConfigurationException"/> naming file:line:column. Shared by the
/// compose loader and the scenario loader.
/// </summary>
public sealed class YamlFile
{
    private YamlFile(string fullPath, string displayName, YamlNode root)
    {
        FullPath = fullPath;
        DisplayName = displayName;
        Root = root;
    }

    public string FullPath { get; }

    /// <summary>How problems name the file.</summary>
    public string DisplayName { get; }

    public YamlNode Root { get; }

    /// <summary>Parses <paramref name="path"/>, which the caller has checked exists (each loader says what is missing its own way).</summary>
    public static YamlFile Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        var displayName = DisplayNameOf(fullPath);
        Scanner? scanner = null;
        try
        {
            using var text = new StreamReader(fullPath);
            var stream = new YamlStream();
            scanner = new Scanner(text);
            stream.Load(new Parser(scanner));
            if (stream.Documents.Count == 0)
            {
                throw new ConfigurationException([new ConfigurationProblem(new SourceLocation(displayName, 1, 1), "the file is empty")]);
            }
            var root = stream.Documents[0].RootNode;
            YamlMergeKeys.Apply(root, displayName);
            return new YamlFile(fullPath, displayName, root);
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException?.Message ?? ex.Message;
            // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (…): "; the location is printed our way instead.
            var colon = message.IndexOf("): ", StringComparison.Ordinal);
            if (message.StartsWith("(Line", StringComparison.Ordinal) && colon > 0)
            {
                message = message[(colon + 3)..];
            }
            throw new ConfigurationException(
                [new ConfigurationProblem(new SourceLocation(displayName, (int)ex.Start.Line, (int)ex.Start.Column), $"YAML syntax error: {message}")]);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException && scanner is not null)
        {
            // YamlDotNet's scanner and node loader fail this way, not with a YamlException, on some damaged files (found
            // by the fuzz tier): the place the scanner reached is where the file stops being YAML.
            var at = scanner.CurrentPosition;
            throw new ConfigurationException(
                [new ConfigurationProblem(new SourceLocation(displayName, (int)Math.Max(1, at.Line), (int)Math.Max(1, at.Column)), "YAML syntax error: the text here cannot be read as YAML")]);
        }
    }

    /// <summary>The path relative to the current directory when the file is below it, else the full path.</summary>
    public static string DisplayNameOf(string fullPath)
    {
        var relative = Path.GetRelativePath(System.Environment.CurrentDirectory, fullPath);
        return relative.StartsWith("..", StringComparison.Ordinal) ? fullPath : relative;
    }
}
