using System.Globalization;
using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Configuration;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Time;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// The valet key of the rollup files: officials download a file from Blob Storage itself with a SAS for that one blob,
/// read-only, valid for <see cref="PipelineOptions.RollupLinkSeconds"/> (at most 5 minutes), its download name set.
/// With a managed identity (Azure, shared keys off) it is signed with a user delegation key obtained by the app's
/// identity (role Storage Blob Delegator); with a connection string (Azurite) with the account key. Every link
/// issued is logged in table <c>rolluplinks</c> (PartitionKey the rollup's day, RowKey newest first).
/// </summary>
public sealed partial class RollupLinks(
    StorageClients clients, StorageTables tables, RollupStore store, ReportingClock clock, IOptions<PipelineOptions> options,
    ILogger<RollupLinks> logger)
{
    /// <summary>A user delegation key is asked for once for many links (it may live up to 7 days; this one lives a day).</summary>
    private static readonly TimeSpan KeyLifetime = TimeSpan.FromHours(24);

    private readonly SemaphoreSlim keyLock = new(1, 1);
    private UserDelegationKey? key;

    public async Task<RollupLink> IssueAsync(
        Caller caller, DateOnly date, string scope, int revision, string fileName, string downloadName, string contentType,
        CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var expiresAt = now + TimeSpan.FromSeconds(Math.Min(options.Value.RollupLinkSeconds, 300));
        var blob = store.BlobOf(store.PathOf(date, scope, revision, fileName));
        var sas = new BlobSasBuilder(BlobSasPermissions.Read, expiresAt)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            ContentDisposition = $"attachment; filename=\"{downloadName}\"",
            ContentType = contentType,
            Protocol = blob.Uri.Scheme == "https" ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        Uri url;
        if (clients.UsesManagedIdentity)
        {
            var signingKey = await DelegationKeyAsync(now, expiresAt, cancellationToken);
            url = new Azure.Storage.Blobs.BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(signingKey, clients.Blobs.AccountName) }.ToUri();
        }
        else
        {
            url = blob.GenerateSasUri(sas);
        }

        var record = new RollupLinkRecord(ReportDate.Iso(date), scope, revision, fileName, caller.TokenId, caller.Role.ToString().ToLowerInvariant(), now, expiresAt);
        await tables.RollupLinks.AddEntityAsync(ToEntity(record), cancellationToken);
        LogIssued(caller.TokenId, ReportDate.Iso(date), scope, revision, fileName, expiresAt);
        return new RollupLink(url.ToString(), expiresAt);
    }

    /// <summary>The links issued for a rollup day, newest first.</summary>
    public async IAsyncEnumerable<RollupLinkRecord> ListAsync(DateOnly date, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ReportDate.Iso(date)}");
        await foreach (var e in tables.RollupLinks.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return new RollupLinkRecord(e.PartitionKey, e.GetString("scope") ?? "", e.GetInt32("revision") ?? 0, e.GetString("file") ?? "",
                e.GetString("tokenId") ?? "", e.GetString("role") ?? "", e.GetDateTimeOffset("issuedAt") ?? default, e.GetDateTimeOffset("expiresAt") ?? default);
        }
    }

    private async Task<UserDelegationKey> DelegationKeyAsync(DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await keyLock.WaitAsync(cancellationToken);
        try
        {
            if (key is null || key.SignedExpiresOn < until)
            {
                // Started a little in the past: the storage's clock may be behind ours.
                key = (await clients.Blobs.GetUserDelegationKeyAsync(now - TimeSpan.FromMinutes(5), now + KeyLifetime, cancellationToken)).Value;
            }

            return key;
        }
        finally
        {
            keyLock.Release();
        }
    }

    private static TableEntity ToEntity(RollupLinkRecord record) => new(
        record.Date,
        // Newest first: the row key counts down, and a random tail keeps two links of one instant apart.
        (DateTimeOffset.MaxValue.UtcTicks - record.IssuedAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..8])
    {
        ["scope"] = record.Scope,
        ["revision"] = record.Revision,
        ["file"] = record.File,
        ["tokenId"] = record.TokenId,
        ["role"] = record.Role,
        ["issuedAt"] = record.IssuedAt,
        ["expiresAt"] = record.ExpiresAt,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollup link issued to token {TokenId}: {Date} {Scope} revision {Revision} {File}, valid until {ExpiresAt:O}")]
    private partial void LogIssued(string tokenId, string date, string scope, int revision, string file, DateTimeOffset expiresAt);
}
