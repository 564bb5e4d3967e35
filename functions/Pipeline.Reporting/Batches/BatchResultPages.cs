using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Batches;

/// <summary>
/// Row results stored a page at a time: one entity (RowKey <c>page_&lt;first row&gt;_&lt;id&gt;</c>) holds the results
/// of up to a block of rows as UTF-8 JSON, cut into binary properties <c>d0</c>, <c>d1</c>, ... of at most 64 KiB
/// (Table Storage's limit for one property), and a page is closed before it reaches <see cref="MaxPageBytes"/>, well
/// inside an entity's 1 MiB. A 10,000-row batch is ten writes instead of ten thousand entities.
/// </summary>
public static class BatchResultPages
{
    public const string KeyPrefix = "page_";

    /// <summary>Table Storage's limit for one binary property.</summary>
    private const int PropertyBytes = 64 * 1024;

    /// <summary>At most this much JSON in one page: 12 properties, three quarters of an entity's 1 MiB.</summary>
    public const int MaxPageBytes = 12 * PropertyBytes;

    /// <summary>At most this many errors of a row are kept (a row that breaks every rule still fits a page).</summary>
    private const int MaxStoredErrors = 50;

    private const string CountProperty = "rows";
    private const string DataProperty = "d";

    /// <summary>
    /// The entities that record <paramref name="results"/>: as few pages as their size allows, rows in the order given.
    /// Each page's key is new (its first row and a random id), so a page never overwrites another run's.
    /// </summary>
    public static IEnumerable<TableEntity> ToEntities(string batchId, IEnumerable<BatchRowResult> results)
    {
        var page = new List<byte[]>();
        var first = 0;
        var bytes = 1;
        foreach (var result in results)
        {
            var row = JsonSerializer.SerializeToUtf8Bytes(PageRow.Of(result), JsonDefaults.Web);
            if (page.Count > 0 && bytes + row.Length + 1 > MaxPageBytes)
            {
                yield return Entity(batchId, first, page);
                page = [];
                bytes = 1;
            }

            first = page.Count == 0 ? result.Row : first;
            page.Add(row);
            bytes += row.Length + 1;
        }

        if (page.Count > 0)
        {
            yield return Entity(batchId, first, page);
        }
    }

    /// <summary>The results one page holds, in the order they were written.</summary>
    public static IEnumerable<BatchRowResult> FromEntity(TableEntity entity)
    {
        using var json = new MemoryStream();
        for (var i = 0; entity.GetBinary(DataProperty + i.ToString(CultureInfo.InvariantCulture)) is { } part; i++)
        {
            json.Write(part);
        }

        var rows = JsonSerializer.Deserialize<List<PageRow>>(json.GetBuffer().AsSpan(0, (int)json.Length), JsonDefaults.Web) ?? [];
        return rows.Select(r => r.ToResult());
    }

    private static TableEntity Entity(string batchId, int firstRow, List<byte[]> rows)
    {
        // [row,row,...,row]
        var json = new byte[rows.Sum(r => r.Length) + rows.Count + 1];
        var at = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            json[at++] = i == 0 ? (byte)'[' : (byte)',';
            rows[i].CopyTo(json, at);
            at += rows[i].Length;
        }

        json[at] = (byte)']';
        var entity = new TableEntity(batchId, $"{KeyPrefix}{firstRow.ToString("D8", CultureInfo.InvariantCulture)}_{Guid.NewGuid().ToString("N")[..12]}")
        {
            [CountProperty] = rows.Count,
        };
        for (var i = 0; i * PropertyBytes < json.Length; i++)
        {
            entity[DataProperty + i.ToString(CultureInfo.InvariantCulture)] = json[(i * PropertyBytes)..Math.Min(json.Length, (i + 1) * PropertyBytes)];
        }

        return entity;
    }

    /// <summary>One row's result as a page stores it: errors as <see cref="FieldErrorJson"/> (typed arguments), empty lists left out.</summary>
    private sealed record PageRow(
        int Row, string? UnitCode, string? ReportDate, BatchRowOutcome Outcome, int? Revision, string? Receipt,
        IReadOnlyList<ReportWarning>? Warnings, string? Errors)
    {
        public static PageRow Of(BatchRowResult r) => new(
            r.Row, r.UnitCode, r.ReportDate, r.Outcome, r.Revision, r.Receipt,
            r.Warnings.Count == 0 ? null : r.Warnings,
            r.Errors.Count == 0 ? null : FieldErrorJson.Serialize(r.Errors.Take(MaxStoredErrors)));

        public BatchRowResult ToResult() =>
            new(Row, UnitCode, ReportDate, Outcome, Revision, Receipt, Warnings ?? [], FieldErrorJson.Deserialize(Errors));
    }
}
