using Azure.Data.Tables;

namespace Pipeline.Reporting.Storage;

/// <summary>The tables the app uses, by role. Names are fixed; an account holds one pipeline.</summary>
public sealed class StorageTables(StorageClients clients)
{
    public TableClient Current { get; } = clients.Tables.GetTableClient("reports");

    public TableClient Revisions { get; } = clients.Tables.GetTableClient("reportrevisions");

    public TableClient Tokens { get; } = clients.Tables.GetTableClient("tokens");

    /// <summary>One row per built rollup day: latest revision, stale flag, daily totals (see Rollups.RollupIndex).</summary>
    public TableClient Rollups { get; } = clients.Tables.GetTableClient("rollups");

    public TableClient Batches { get; } = clients.Tables.GetTableClient("batches");

    public IEnumerable<TableClient> All => [Current, Revisions, Tokens, Rollups, Batches];
}
