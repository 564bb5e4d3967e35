using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Reminders;

/// <summary>
/// Table <c>reminders</c>, PartitionKey <c>yyyy-MM-dd</c> (the report day). Per (cutoff, group) one marker row
/// <c>c_{cutoff}_{group}</c> that says the cutoff was composed for the group (also when nothing was missing), and
/// one row per part <c>m_{cutoff}_{group}_{part}</c>; both are inserted in one entity-group transaction, so a
/// second run of a cutoff finds the marker and composes nothing new. Each attempt is written (If-Match) before the
/// request goes out, which both claims the message against a concurrent sender and counts the attempt.
/// </summary>
public sealed class ReminderOutbox(StorageTables tables)
{
    private const string MarkerPrefix = "c_";
    private const string MessagePrefix = "m_";

    private TableClient Table => tables.Reminders;

    /// <summary>
    /// Records a composed cutoff for a group with its parts (none when nothing is missing). Created is false when it was
    /// recorded before; Parts is then the number recorded that time.
    /// </summary>
    public async Task<(bool Created, int Parts)> RecordAsync(DateOnly date, string cutoff, int group, IReadOnlyList<OutboxMessage> parts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var partition = Partition(date);
        var actions = parts.Select(p => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(p))).ToList();
        var marker = new TableEntity(partition, $"{MarkerPrefix}{Key(cutoff)}_{group:D2}")
        {
            ["Cutoff"] = cutoff, ["Group"] = group, ["Parts"] = parts.Count, ["RecordedAt"] = now,
        };
        // One transaction holds 100 rows: parts beyond that go first, the marker with the last batch, so a crash
        // in between leaves no marker and the next run records the rest (rows already there are kept).
        var batches = actions.Append(new TableTransactionAction(TableTransactionActionType.Add, marker)).Chunk(100).ToList();
        for (var i = 0; i < batches.Count; i++)
        {
            try
            {
                await Table.SubmitTransactionAsync(batches[i], cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
                if (await RecordedPartsAsync(marker, cancellationToken) is { } recorded)
                {
                    return (false, recorded);
                }
            }
        }

        return (true, parts.Count);
    }

    /// <summary>Every message of a day, in key order (cutoff, group, part).</summary>
    public async IAsyncEnumerable<OutboxMessage> ReadDayAsync(DateOnly date, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(date)} and RowKey ge {MessagePrefix} and RowKey lt {"m`"}");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return FromEntity(entity);
        }
    }

    /// <summary>The pending messages of the given days.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> PendingAsync(IEnumerable<DateOnly> dates, CancellationToken cancellationToken)
    {
        var pending = new List<OutboxMessage>();
        foreach (var date in dates)
        {
            var filter = TableClient.CreateQueryFilter(
                $"PartitionKey eq {Partition(date)} and RowKey ge {MessagePrefix} and RowKey lt {"m`"} and Status eq {OutboxStatus.Pending}");
            await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                pending.Add(FromEntity(entity));
            }
        }

        return pending;
    }

    /// <summary>Counts an attempt and holds the message until <paramref name="claimUntil"/>; null when another sender changed it first.</summary>
    public Task<OutboxMessage?> BeginAttemptAsync(OutboxMessage message, DateTimeOffset claimUntil, CancellationToken cancellationToken) =>
        TryUpdateAsync(message with { Attempts = message.Attempts + 1, ClaimedUntil = claimUntil }, cancellationToken);

    public Task<OutboxMessage?> MarkSentAsync(OutboxMessage message, DateTimeOffset sentAt, CancellationToken cancellationToken) =>
        TryUpdateAsync(message with { Status = OutboxStatus.Sent, SentAt = sentAt, ClaimedUntil = null, LastError = null }, cancellationToken);

    /// <summary>After a failed attempt: due again at <paramref name="nextAttemptAt"/>, or failed for good.</summary>
    public Task<OutboxMessage?> MarkAttemptFailedAsync(OutboxMessage message, DateTimeOffset nextAttemptAt, bool givenUp, string error, CancellationToken cancellationToken) =>
        TryUpdateAsync(message with
        {
            Status = givenUp ? OutboxStatus.Failed : OutboxStatus.Pending,
            NextAttemptAt = nextAttemptAt,
            ClaimedUntil = null,
            LastError = error,
        }, cancellationToken);

    private async Task<OutboxMessage?> TryUpdateAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Table.UpdateEntityAsync(ToEntity(message), message.ETag, TableUpdateMode.Replace, cancellationToken);
            return message with { ETag = response.Headers.ETag ?? default };
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return null;
        }
    }

    private async Task<int?> RecordedPartsAsync(TableEntity marker, CancellationToken cancellationToken) =>
        await Table.GetEntityIfExistsAsync<TableEntity>(marker.PartitionKey, marker.RowKey, ["Parts"], cancellationToken) is { HasValue: true } found
            ? found.Value!.GetInt32("Parts") ?? 0
            : null;

    public static string Partition(DateOnly date) => ReportDate.Iso(date);

    /// <summary><c>16:00</c> -> <c>1600</c>; a notice's <c>rollup r2</c> -> <c>r0002</c>.</summary>
    private static string Key(string cutoff) =>
        cutoff.StartsWith("rollup r", StringComparison.Ordinal)
            ? "r" + int.Parse(cutoff["rollup r".Length..], CultureInfo.InvariantCulture).ToString("D4", CultureInfo.InvariantCulture)
            : cutoff.Replace(":", "", StringComparison.Ordinal);

    private static TableEntity ToEntity(OutboxMessage m)
    {
        var entity = new TableEntity(Partition(m.Date), $"{MessagePrefix}{Key(m.Cutoff)}_{m.Group:D2}_{m.Part:D3}")
        {
            ["Cutoff"] = m.Cutoff,
            ["Group"] = m.Group,
            ["Scope"] = m.Scope,
            ["Kind"] = m.Kind.Name(),
            ["Part"] = m.Part,
            ["Parts"] = m.Parts,
            ["Body"] = m.Body,
            ["Missing"] = JsonSerializer.Serialize(m.Missing, JsonDefaults.Web),
            ["Status"] = m.Status,
            ["Attempts"] = m.Attempts,
            ["RecordedAt"] = m.RecordedAt,
            ["NextAttemptAt"] = m.NextAttemptAt,
            ["ClaimedUntil"] = m.ClaimedUntil,
            ["SentAt"] = m.SentAt,
            ["LastError"] = m.LastError,
        };
        entity.ETag = m.ETag;
        return entity;
    }

    private static OutboxMessage FromEntity(TableEntity e) => new(
        ReportDate.Parse(e.PartitionKey),
        e.GetString("Cutoff"),
        e.GetInt32("Group") ?? 0,
        e.GetString("Scope"),
        ReminderKinds.Parse(e.GetString("Kind")) ?? ReminderKind.Webhook,
        e.GetInt32("Part") ?? 1,
        e.GetInt32("Parts") ?? 1,
        e.GetString("Body"),
        JsonSerializer.Deserialize<List<MissingRef>>(e.GetString("Missing") ?? "[]", JsonDefaults.Web) ?? [],
        e.GetString("Status"),
        e.GetInt32("Attempts") ?? 0,
        e.GetDateTimeOffset("RecordedAt") ?? default,
        e.GetDateTimeOffset("NextAttemptAt") ?? default,
        e.GetDateTimeOffset("ClaimedUntil"),
        e.GetDateTimeOffset("SentAt"),
        e.GetString("LastError"),
        e.ETag);
}
