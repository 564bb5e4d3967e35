using Azure.Data.Tables;

namespace Pipeline.Reporting.Storage;

/// <summary>The tables the app uses, by role. Names are fixed; an account holds one pipeline.</summary>
public sealed class StorageTables(StorageClients clients)
{
    /// <summary>Report revisions and units' state rows, one partition per county (see <see cref="ReportKeys"/>).</summary>
    public TableClient Reports { get; } = clients.Tables.GetTableClient("countyreports");

    /// <summary><see cref="Reports"/> read without OData metadata: the rollup's read of a day's rows (<see cref="NoMetadataPolicy"/>).</summary>
    public TableClient ReportsWithoutMetadata { get; } = clients.TablesWithoutMetadata.GetTableClient("countyreports");

    public TableClient Tokens { get; } = clients.Tables.GetTableClient("tokens");

    /// <summary>One row per built rollup day: latest revision, stale flag, daily totals (see Rollups.RollupIndex).</summary>
    public TableClient Rollups { get; } = clients.Tables.GetTableClient("rollups");

    public TableClient Batches { get; } = clients.Tables.GetTableClient("batches");

    /// <summary>Townships excused from reporting for a range of days, one partition per county (see Officials.ExemptionStore).</summary>
    public TableClient Exemptions { get; } = clients.Tables.GetTableClient("exemptions");

    /// <summary>The reminders' outbox: one row per (day, cutoff, group, part) message (see Reminders.ReminderOutbox).</summary>
    public TableClient Reminders { get; } = clients.Tables.GetTableClient("reminders");

    /// <summary>Every direct download link of a rollup file issued: PartitionKey the rollup's day (see Rollups.RollupLinks).</summary>
    public TableClient RollupLinks { get; } = clients.Tables.GetTableClient("rolluplinks");

    public IEnumerable<TableClient> All => [Reports, Tokens, Rollups, Batches, Exemptions, Reminders, RollupLinks];
}
