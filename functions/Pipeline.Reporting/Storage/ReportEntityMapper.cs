using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// Maps a report revision to a table entity and back. One property per catalogue indicator
/// (<c>v_key</c>); a value that was not reported has no property, so it reads back as absent, not 0.
/// </summary>
public sealed class ReportEntityMapper(IndicatorCatalogue catalogue)
{
    public TableEntity ToEntity(StoredReport report, string partitionKey, string rowKey)
    {
        var entity = new TableEntity(partitionKey, rowKey)
        {
            ["unitCode"] = report.UnitCode,
            ["reportDate"] = ReportKeys.Day(report.ReportDate),
            ["revision"] = report.Revision,
            ["submissionId"] = report.SubmissionId,
            ["notes"] = report.Notes,
            ["reporterName"] = report.ReporterName,
            ["reporterPhone"] = report.ReporterPhone,
            ["receivedAt"] = report.ReceivedAt,
            ["late"] = report.Late,
            ["receipt"] = report.Receipt,
            ["warnings"] = JsonSerializer.Serialize(report.Warnings, JsonDefaults.Web),
            ["contentHash"] = report.ContentHash,
            ["submittedBy"] = report.SubmittedBy,
            ["submitterRole"] = report.SubmitterRole,
        };
        foreach (var (key, value) in report.Values)
        {
            var indicator = catalogue[key];
            entity[indicator.PropertyName] = indicator.Bounds.Decimals == 0 ? (long)value : (double)value;
        }

        return entity;
    }

    public StoredReport FromEntity(TableEntity entity)
    {
        var values = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var indicator in catalogue.Indicators)
        {
            if (entity.TryGetValue(indicator.PropertyName, out var raw) && raw is not null)
            {
                values[indicator.Key] = decimal.Round(Convert.ToDecimal(raw, CultureInfo.InvariantCulture), indicator.Bounds.Decimals);
            }
        }

        return new StoredReport(
            entity.GetString("unitCode"),
            ReportKeys.ParseDay(entity.GetString("reportDate")),
            entity.GetInt32("revision") ?? 0,
            entity.GetString("submissionId"),
            values,
            entity.GetString("notes") ?? "",
            entity.GetString("reporterName") ?? "",
            entity.GetString("reporterPhone") ?? "",
            entity.GetDateTimeOffset("receivedAt") ?? DateTimeOffset.MinValue,
            entity.GetBoolean("late") ?? false,
            entity.GetString("receipt") ?? "",
            JsonSerializer.Deserialize<List<ReportWarning>>(entity.GetString("warnings") ?? "[]", JsonDefaults.Web) ?? [],
            entity.GetString("contentHash") ?? "",
            entity.GetString("submittedBy") ?? "",
            entity.GetString("submitterRole") ?? "");
    }
}
