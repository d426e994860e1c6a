using Replica.Environments.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Replica.Environments.Topology;

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
        try
        {
            using var text = new StreamReader(fullPath);
            var stream = new YamlStream();
            stream.Load(new MergingParser(new Parser(text)));
            if (stream.Documents.Count == 0)
            {
                throw new ConfigurationException([new ConfigurationProblem(new SourceLocation(displayName, 1, 1), "the file is empty")]);
            }
            return new YamlFile(fullPath, displayName, stream.Documents[0].RootNode);
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
    }

    /// <summary>The path relative to the current directory when the file is below it, else the full path.</summary>
    public static string DisplayNameOf(string fullPath)
    {
        var relative = Path.GetRelativePath(System.Environment.CurrentDirectory, fullPath);
        return relative.StartsWith("..", StringComparison.Ordinal) ? fullPath : relative;
    }
}
