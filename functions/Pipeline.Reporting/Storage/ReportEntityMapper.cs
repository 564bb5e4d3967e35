using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// Maps a report revision to a table entity and back. The report's fields are the properties named by their
/// columns in <see cref="ReportShape"/>; one property per catalogue indicator (<c>v_key</c>); a value that was
/// not reported has no property, so it reads back as absent, not 0. The rest is the revision's own record.
/// </summary>
public sealed class ReportEntityMapper(ReportShape shape)
{
    /// <summary>
    /// What a rollup reads of a revision: its unit, day and number, its values and what the unit tables show, not the
    /// revision's own record (submission, receipt, hashes, submitter). Mapped, the rest reads as empty.
    /// </summary>
    /// <remarks>
    /// The unit, day and number come from the row's key (<see cref="ReportKeys.RevisionRow"/>), which says what the
    /// <c>unitCode</c>, <c>reportDate</c> and <c>revision</c> properties say: one property a row where there were three,
    /// fewer bytes for the storage to write and the client to parse.
    /// </remarks>
    public IReadOnlyList<string> RollupProperties { get; } =
    [
        "RowKey", "late", "warnings", ReportShape.Notes.Column, ReportShape.ReporterName.Column, ReportShape.ReporterPhone.Column,
        .. shape.Indicators.Select(i => i.PropertyName),
    ];

    public TableEntity ToEntity(StoredReport report, string partitionKey, string rowKey)
    {
        var entity = new TableEntity(partitionKey, rowKey)
        {
            [ReportShape.UnitCode.Column] = report.UnitCode,
            [ReportShape.ReportDate.Column] = ReportKeys.Day(report.ReportDate),
            ["revision"] = report.Revision,
            [ReportShape.SubmissionId.Column] = report.SubmissionId,
            [ReportShape.Notes.Column] = report.Notes,
            [ReportShape.ReporterName.Column] = report.ReporterName,
            [ReportShape.ReporterPhone.Column] = report.ReporterPhone,
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
            var indicator = shape.Catalogue[key];
            entity[indicator.PropertyName] = indicator.Bounds.Decimals == 0 ? (long)value : (double)value;
        }

        return entity;
    }

    /// <summary>
    /// Each indicator's key, column and decimals, looked up once: <see cref="Indicator.PropertyName"/> makes its string anew
    /// on every call, 33 of them per row read (a rollup reads 100,000 rows).
    /// </summary>
    private readonly (string Key, string Column, int Decimals)[] columns =
        [.. shape.Indicators.Select(i => (i.Key, i.PropertyName, i.Bounds.Decimals))];

    private readonly FrozenDictionary<string, int> indicatorAt =
        shape.Indicators.Select((indicator, i) => (indicator.PropertyName, i)).ToFrozenDictionary(c => c.PropertyName, c => c.i, StringComparer.Ordinal);

    public StoredReport FromEntity(TableEntity entity)
    {
        var values = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (key, column, decimals) in columns)
        {
            if (entity.TryGetValue(column, out var raw) && raw is not null)
            {
                values[key] = Value(raw, decimals);
            }
        }

        return new StoredReport(
            entity.GetString(ReportShape.UnitCode.Column),
            ReportKeys.ParseDay(entity.GetString(ReportShape.ReportDate.Column)),
            entity.GetInt32("revision") ?? 0,
            entity.GetString(ReportShape.SubmissionId.Column),
            values,
            entity.GetString(ReportShape.Notes.Column) ?? "",
            entity.GetString(ReportShape.ReporterName.Column) ?? "",
            entity.GetString(ReportShape.ReporterPhone.Column) ?? "",
            entity.GetDateTimeOffset("receivedAt") ?? DateTimeOffset.MinValue,
            entity.GetBoolean("late") ?? false,
            entity.GetString("receipt") ?? "",
            Warnings(entity.GetString("warnings")),
            entity.GetString("contentHash") ?? "",
            entity.GetString("submittedBy") ?? "",
            entity.GetString("submitterRole") ?? "");
    }

    /// <summary>
    /// A row of the rollup's read (<see cref="RollupProperties"/>, without metadata): its record, and its values into
    /// <paramref name="values"/> and <paramref name="present"/> by catalogue position (<see cref="ReportShape.Indicators"/>),
    /// both cleared first. The values are what <see cref="FromEntity"/> reads from the same row, without a dictionary.
    /// </summary>
    public RollupRevision ReadRollupRow(RollupRow row, Span<decimal> values, Span<bool> present)
    {
        values.Clear();
        present.Clear();
        for (var i = 0; i < row.Count; i++)
        {
            if (indicatorAt.TryGetValue(row.NameAt(i), out var at) && row.ValueAt(i) is { } raw)
            {
                values[at] = Value(raw, columns[at].Decimals);
                present[at] = true;
            }
        }

        var key = row.RowKey;
        return new RollupRevision(
            key,
            ReportKeys.RevisionOfRevisionRow(key),
            row.TryGetValue("late", out var late) && late is true,
            Warnings(row.GetString("warnings")),
            row.GetString(ReportShape.Notes.Column) ?? "",
            row.GetString(ReportShape.ReporterName.Column) ?? "",
            row.GetString(ReportShape.ReporterPhone.Column) ?? "");
    }

    /// <summary>
    /// A stored value as the report's decimal. Whole-number indicators are stored as Int64: nothing to round. Read without
    /// metadata (the rollup's read), an Int64 comes as its decimal text, a Double as whatever number the JSON held.
    /// </summary>
    private static decimal Value(object raw, int decimals) => raw switch
    {
        long whole => whole,
        string text => decimal.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
        _ => decimal.Round(Convert.ToDecimal(raw, CultureInfo.InvariantCulture), decimals),
    };

    /// <summary>The revision's warnings; most revisions have none, stored as <c>[]</c>, read without the serializer.</summary>
    private static IReadOnlyList<ReportWarning> Warnings(string? stored) =>
        stored is null or "[]" ? [] : JsonSerializer.Deserialize<List<ReportWarning>>(stored, JsonDefaults.Web) ?? [];
}
