using Azure.Data.Tables;

namespace Pipeline.Reporting.Storage;

/// <summary>The tables the app uses, by role. Names are fixed; an account holds one pipeline.</summary>
public sealed class StorageTables(StorageClients clients)
{
    public TableClient Current { get; } = clients.Tables.GetTableClient("reports");

    public TableClient Revisions { get; } = clients.Tables.GetTableClient("reportrevisions");

    public TableClient Tokens { get; } = clients.Tables.GetTableClient("tokens");

    public TableClient Batches { get; } = clients.Tables.GetTableClient("batches");

    public IEnumerable<TableClient> All => [Current, Revisions, Tokens, Batches];
}
