using Azure.Data.Tables;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Officials;

/// <summary>
/// Exemptions in the <c>exemptions</c> table: PartitionKey the county code, RowKey <c>unitCode_yyyyMMdd</c> (the first
/// day), so a county's exemptions are one partition read and marking the same unit from the same day again replaces it.
/// </summary>
public sealed class ExemptionStore(StorageTables tables, UnitRegistry units, TimeProvider time)
{
    public async Task<Exemption> MarkAsync(string unitCode, DateOnly from, DateOnly to, string reason, string createdBy, CancellationToken cancellationToken)
    {
        var exemption = new Exemption(unitCode, from, to, reason, createdBy, time.GetUtcNow());
        await tables.Exemptions.UpsertEntityAsync(new TableEntity(CountyOf(unitCode), RowKey(unitCode, from))
        {
            ["unitCode"] = unitCode,
            ["from"] = ReportKeys.Day(from),
            ["to"] = ReportKeys.Day(to),
            ["reason"] = reason,
            ["createdBy"] = createdBy,
            ["createdAt"] = exemption.CreatedAt,
        }, TableUpdateMode.Replace, cancellationToken);
        return exemption;
    }

    /// <summary>Removes the exemption of a unit that starts on <paramref name="from"/>; false when there is none.</summary>
    public async Task<bool> RemoveAsync(string unitCode, DateOnly from, CancellationToken cancellationToken)
    {
        var partition = CountyOf(unitCode);
        var key = RowKey(unitCode, from);
        var stored = await tables.Exemptions.GetEntityIfExistsAsync<TableEntity>(partition, key, ["PartitionKey"], cancellationToken);
        if (!stored.HasValue)
        {
            return false;
        }

        await tables.Exemptions.DeleteEntityAsync(partition, key, Azure.ETag.All, cancellationToken);
        return true;
    }

    /// <summary>The exemptions of the townships within <paramref name="scope"/> that overlap <paramref name="from"/>..<paramref name="to"/>.</summary>
    public async Task<IReadOnlyList<Exemption>> WithinAsync(AdminUnit scope, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var counties = scope.Level == UnitLevel.Township ? [units.CountyOf(scope.Code)!]
            : scope.Level == UnitLevel.County ? [scope]
            : units.Counties.Where(c => units.IsWithin(c.Code, scope.Code)).ToList();
        var found = new List<Exemption>();
        foreach (var county in counties)
        {
            await foreach (var e in tables.Exemptions.QueryAsync<TableEntity>(
                TableClient.CreateQueryFilter($"PartitionKey eq {county.Code}"), cancellationToken: cancellationToken))
            {
                var exemption = new Exemption(
                    e.GetString("unitCode") ?? "", ReportKeys.ParseDay(e.GetString("from")), ReportKeys.ParseDay(e.GetString("to")),
                    e.GetString("reason") ?? "", e.GetString("createdBy") ?? "", e.GetDateTimeOffset("createdAt") ?? default);
                if (exemption.From <= to && exemption.To >= from && units.IsWithin(exemption.UnitCode, scope.Code))
                {
                    found.Add(exemption);
                }
            }
        }

        return found.OrderBy(e => e.UnitCode, StringComparer.Ordinal).ThenBy(e => e.From).ToList();
    }

    private string CountyOf(string unitCode) => units.CountyOf(unitCode)?.Code ?? throw new InvalidOperationException($"Unit {unitCode} has no county.");

    private static string RowKey(string unitCode, DateOnly from) => unitCode + "_" + ReportKeys.Day(from);
}
