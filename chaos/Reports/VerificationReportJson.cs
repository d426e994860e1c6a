using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Replica.Chaos.Verification;
using Replica.Environments.Errors;

namespace Replica.Chaos.Reports;

/// <summary>
/// A verify report as JSON, both ways: what `verify --json` prints (camelCase, enums as camelCase names, indented) and
/// what `report merge` reads back. A file that is not such a report is bad input naming the file and, for broken JSON,
/// its line.
/// </summary>
public static class VerificationReportJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize(VerificationReport report) => JsonSerializer.Serialize(report, Options);

    public static VerificationReport Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ReplicaException($"{path}: cannot read it: {ex.Message}", kind: ReplicaErrorKind.BadInput);
        }
        VerificationReport? report;
        try
        {
            report = JsonSerializer.Deserialize<VerificationReport>(text, Options);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $"{path}:{line + 1}" : path;
            throw new ReplicaException($"{where}: not a verify report (the JSON `replica verify --json` prints): {ex.Message}", kind: ReplicaErrorKind.BadInput);
        }
        if (report is null || string.IsNullOrEmpty(report.Scenario) || report.Variants is null || report.Runs is null)
        {
            throw new ReplicaException($"{path}: not a verify report (the JSON `replica verify --json` prints): no scenario, variants and runs in it", kind: ReplicaErrorKind.BadInput);
        }
        return report;
    }
}
