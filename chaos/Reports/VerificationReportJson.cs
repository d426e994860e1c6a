using System.Text.Json;
using Replica.Chaos.Verification;
using Replica.Environments.Errors;

namespace Replica.Chaos.Reports;

/// <summary>
/// A verify report as JSON, both ways: what `verify --json` prints (camelCase, enums as camelCase names, indented) and
/// what `report merge` reads back. A file that is not such a report is bad input naming the file and, for broken JSON,
/// its line. The JSON metadata is generated at build time (<see cref="VerificationReportJsonContext"/>).
/// </summary>
public static class VerificationReportJson
{
    /// <summary>
    /// The report's options, bound to its generated metadata: they serialize the report and the types in it (through
    /// <see cref="JsonSerializerOptions.GetTypeInfo"/>), no other type.
    /// </summary>
    public static readonly JsonSerializerOptions Options = VerificationReportJsonContext.Readable.Options;

    public static string Serialize(VerificationReport report) =>
        JsonSerializer.Serialize(report, VerificationReportJsonContext.Readable.VerificationReport);

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
            report = JsonSerializer.Deserialize(text, VerificationReportJsonContext.Readable.VerificationReport);
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
