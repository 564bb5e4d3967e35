using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// Table <c>rollups</c>, PartitionKey <c>day</c> for the prefecture and <c>day-{countyCode}</c> for a county, RowKey
/// <c>yyyy-MM-dd</c>: one row per built day and area. It is the
/// list of built days, the stale flags, and the per-day totals table that cumulative figures are summed
/// from: cumulative(D) = sum of the totals rows of the days before D + totals(D), streamed, so memory does
/// not grow with the days held. A rebuild that changes a day's totals marks every later built day stale.
/// The row holds the latest manifest when it fits a table property (64 KiB); a larger one (the missing-unit list of a
/// large area on a poor day) is read from the revision's <c>manifest.json</c> blob instead. A revision's manifest that its
/// row held goes to its blob when the next revision takes its place in the row (an older revision is read from there).
/// <para>
/// Stale, as <see cref="GetAsync"/> and <see cref="ListAsync"/> answer it, is the row's flag (a stale mark that met the
/// build's save, an earlier day rebuilt) or more revisions of the day in the area's counties stamped in the build's
/// window than its read met (<see cref="ReadWindow"/>): a report writes only its own rows and never reads this table.
/// </para>
/// </summary>
public sealed class RollupIndex(
    StorageTables tables, IndicatorCatalogue catalogue, RollupStore store, OptimisticConcurrency concurrency, UnitRegistry units, ReportStore reports)
{
    private const string PrefecturePartition = "day";

    /// <summary>The partition of each day's read-from row: the entity whose storage <c>Timestamp</c> opens a build's <see cref="ReadWindow"/>.</summary>
    private const string ReadFromPartition = "read-from";

    /// <summary>A string property holds at most 64 KiB of UTF-16: 32K characters.</summary>
    public const int MaxInlineManifestChars = 32_000;

    /// <summary>
    /// Whether an area's row holds <paramref name="manifest"/> itself while it is the latest; a manifest it cannot hold is
    /// read from its revision's <c>manifest.json</c> blob, which the build then writes (<see cref="RollupStore.WriteManifestAsync"/>).
    /// </summary>
    public static bool Holds(RollupManifest manifest) => Fits(JsonSerializer.Serialize(manifest, JsonDefaults.Web));

    private static bool Fits(string manifest) => manifest.Length <= MaxInlineManifestChars;

    /// <summary>The index partition of an area: the prefecture's keeps its first name, <c>day</c>.</summary>
    private string Partition(string scope) => scope == units.Root.Code ? PrefecturePartition : "day-" + scope;

    private string ScopeOf(string partition) => partition == PrefecturePartition ? units.Root.Code : partition["day-".Length..];

    /// <summary>Every area's partition and nothing else: "day" &lt; "day-{county}" &lt; "day." in key order.</summary>
    private static string AreaPartitions => $"PartitionKey ge '{PrefecturePartition}' and PartitionKey lt '{PrefecturePartition}.'";

    /// <summary>An area's built day, stale if its flag says so or its counties hold a revision of the day its build did not read.</summary>
    public async Task<RollupIndexEntry?> GetAsync(DateOnly date, string scope, CancellationToken cancellationToken)
    {
        var recorded = await GetRecordedAsync(date, scope, cancellationToken);
        return recorded is null || recorded.Stale ? recorded : (await WithUnreadAsync([recorded], scope, cancellationToken))[0];
    }

    /// <summary>An area's built day as its row records it: the stale flag alone, no look at the reports (what a build starts from).</summary>
    public async Task<RollupIndexEntry?> GetRecordedAsync(DateOnly date, string scope, CancellationToken cancellationToken)
    {
        var found = await tables.Rollups.GetEntityIfExistsAsync<TableEntity>(Partition(scope), ReportDate.Iso(date), cancellationToken: cancellationToken);
        return found.HasValue ? await FromEntityAsync(found.Value!, cancellationToken) : null;
    }

    /// <summary>
    /// Every area's row of <paramref name="date"/> as recorded (as <see cref="GetRecordedAsync"/> answers each), by area, in
    /// one query: what a build starts from, with the ETags its writes go on. One query, not a read per area.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, RollupIndexEntry>> RecordedOfDayAsync(DateOnly date, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, RollupIndexEntry>(StringComparer.Ordinal);
        var filter = $"{AreaPartitions} and {TableClient.CreateQueryFilter($"RowKey eq {ReportDate.Iso(date)}")}";
        await foreach (var entity in tables.Rollups.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            rows[ScopeOf(entity.PartitionKey)] = await FromEntityAsync(entity, cancellationToken);
        }

        return rows;
    }

    /// <summary>
    /// Opens a build's window before it reads the day: rewrites the day's read-from row and takes the <c>Timestamp</c>
    /// storage gave it (two requests), so the window is on the storage's clock, whatever the app's says.
    /// </summary>
    public async Task<ReadWindow> OpenReadWindowAsync(DateOnly date, CancellationToken cancellationToken)
    {
        var key = ReportDate.Iso(date);
        await tables.Rollups.UpsertEntityAsync(new TableEntity(ReadFromPartition, key), TableUpdateMode.Replace, cancellationToken);
        var row = await tables.Rollups.GetEntityAsync<TableEntity>(ReadFromPartition, key, ["Timestamp"], cancellationToken);
        return new ReadWindow(row.Value.Timestamp ?? throw new InvalidOperationException("Storage gave the read-from row no Timestamp."));
    }

    /// <summary>The counties whose reports an area's rollup reads: every county for the prefecture, else the county itself.</summary>
    private IReadOnlyList<string> CountiesOf(string scope) => scope == units.Root.Code ? units.Counties.Select(c => c.Code).ToList() : [scope];

    /// <summary>
    /// The entries (days of one area) with <see cref="RollupIndexEntry.Stale"/> set where the area's counties now hold
    /// more revisions of the day stamped in its build's window than the build read: one it read is still there, so one
    /// more is one it did not read. Entries already stale are not looked at. Per county, one query per four days.
    /// </summary>
    private async Task<List<RollupIndexEntry>> WithUnreadAsync(IReadOnlyList<RollupIndexEntry> entries, string scope, CancellationToken cancellationToken)
    {
        var checkedDays = entries.Where(e => !e.Stale).Select(e => (e.Date, e.ReadFrom)).ToList();
        if (checkedDays.Count == 0)
        {
            return [.. entries];
        }

        var counts = await DayReader.PerCountyAsync(CountiesOf(scope), (county, ct) => reports.CountRevisionsSinceAsync(checkedDays, county, ct), cancellationToken);
        return entries.Select(e => e.Stale ? e : e with { Stale = counts.Sum(c => c[e.Date]) > e.ReadCount }).ToList();
    }

    /// <summary>
    /// Every area's other built days around <paramref name="date"/> in one query of the index (the partitions <c>day</c>
    /// and <c>day-*</c>, only the properties it needs): the cumulative totals before the day and the later days a change
    /// of totals makes stale. One query, not two per area: in Azurite every query scans the whole table.
    /// </summary>
    public async Task<BuiltDaysAround> AroundAsync(DateOnly date, CancellationToken cancellationToken)
    {
        var day = ReportDate.Iso(date);
        var cumulative = new Dictionary<string, Dictionary<string, decimal>>(StringComparer.Ordinal);
        var later = new Dictionary<string, List<DateOnly>>(StringComparer.Ordinal);
        await foreach (var entity in tables.Rollups.QueryAsync<TableEntity>(
            AreaPartitions, select: ["PartitionKey", "RowKey", "totals", "stale"], cancellationToken: cancellationToken))
        {
            var scope = ScopeOf(entity.PartitionKey);
            var order = string.CompareOrdinal(entity.RowKey, day);
            if (order < 0)
            {
                if (!cumulative.TryGetValue(scope, out var sums))
                {
                    cumulative[scope] = sums = new Dictionary<string, decimal>(StringComparer.Ordinal);
                }

                foreach (var (key, value) in ReadTotals(entity))
                {
                    if (catalogue.TryGet(key, out var indicator) && indicator.Cumulative)
                    {
                        sums[key] = sums.GetValueOrDefault(key) + value;
                    }
                }
            }
            else if (order > 0 && entity.GetBoolean("stale") != true && ReportDate.TryParse(entity.RowKey, out var laterDay))
            {
                if (!later.TryGetValue(scope, out var days))
                {
                    later[scope] = days = [];
                }

                days.Add(laterDay);
            }
        }

        return new BuiltDaysAround(
            cumulative.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, decimal>)p.Value, StringComparer.Ordinal),
            later.ToDictionary(p => p.Key, p => (IReadOnlyList<DateOnly>)p.Value, StringComparer.Ordinal));
    }

    /// <summary>Built days of an area in [from, to], oldest first, each stale as <see cref="GetAsync"/> says.</summary>
    public async IAsyncEnumerable<RollupIndexEntry> ListAsync(DateOnly from, DateOnly to, string scope, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The rows first (the check needs their windows), then each county's revisions in them.
        var recorded = new List<RollupIndexEntry>();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {Partition(scope)} and RowKey ge {ReportDate.Iso(from)} and RowKey le {ReportDate.Iso(to)}");
        await foreach (var entity in tables.Rollups.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            recorded.Add(await FromEntityAsync(entity, cancellationToken));
        }

        foreach (var entry in await WithUnreadAsync(recorded, scope, cancellationToken))
        {
            yield return entry;
        }
    }

    /// <summary>
    /// Records a built revision with what the build read (<paramref name="window"/>): a report it did not read, stamped in
    /// the window, makes the day stale. With an ETag from before the build, a stale flag set meanwhile is kept.
    /// </summary>
    /// <returns>The entry as written.</returns>
    public async Task<RollupIndexEntry> SaveAsync(RollupIndexEntry entry, ReadWindow window, CancellationToken cancellationToken)
    {
        var attempt = 0;
        entry = entry with { ReadFrom = window.From, ReadCount = window.SeenIn(CountiesOf(entry.Scope)) };
        var written = entry;
        await concurrency.RunAsync(async ct =>
        {
            // After a conflict an earlier day changed (or a report landed while this build read): record the revision, stay stale.
            written = attempt++ == 0 ? entry : entry with { Stale = true, ETag = (await GetRecordedAsync(entry.Date, entry.Scope, ct))?.ETag ?? default };
            var response = written.ETag == default
                ? await tables.Rollups.AddEntityAsync(ToEntity(written), ct)
                : await tables.Rollups.UpdateEntityAsync(ToEntity(written), written.ETag, TableUpdateMode.Replace, ct);
            written = written with { ETag = response.Headers.ETag ?? default };
        }, cancellationToken);
        return written;
    }

    /// <summary>
    /// Sets an area's built day's stale flag: its cumulative figures changed, or its build missed a report written while
    /// it read. A day without a rollup has nothing to mark. (A report does not call this: see <see cref="ReadWindow"/>.)
    /// </summary>
    public async Task MarkStaleAsync(DateOnly date, string scope, CancellationToken cancellationToken) =>
        await concurrency.RunAsync(async ct =>
        {
            // Only the flag: the manifest is not needed.
            var found = await tables.Rollups.GetEntityIfExistsAsync<TableEntity>(Partition(scope), ReportDate.Iso(date), ["stale"], ct);
            var entry = found.HasValue ? found.Value! : null;
            if (entry is null || entry.GetBoolean("stale") == true)
            {
                return;
            }

            var patch = new TableEntity(Partition(scope), ReportDate.Iso(date)) { ["stale"] = true };
            try
            {
                await tables.Rollups.UpdateEntityAsync(patch, entry.ETag, TableUpdateMode.Merge, ct);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // The row went between the read and the write: nothing left to mark.
            }
        }, cancellationToken);

    /// <summary>The newest built day (of the prefecture) on or before <paramref name="upTo"/>, looking back at most <paramref name="days"/>.</summary>
    public async Task<DateOnly?> LatestBuiltAsync(DateOnly upTo, int days, CancellationToken cancellationToken)
    {
        DateOnly? latest = null;
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {PrefecturePartition} and RowKey ge {ReportDate.Iso(upTo.AddDays(-days))} and RowKey le {ReportDate.Iso(upTo)}");
        await foreach (var entity in tables.Rollups.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            if (ReportDate.TryParse(entity.RowKey, out var day) && (latest is null || day > latest))
            {
                latest = day;
            }
        }

        return latest;
    }

    private TableEntity ToEntity(RollupIndexEntry entry)
    {
        var entity = new TableEntity(Partition(entry.Scope), ReportDate.Iso(entry.Date))
        {
            ["latestRevision"] = entry.LatestRevision,
            ["stale"] = entry.Stale,
            ["contentHash"] = entry.ContentHash,
            ["totals"] = JsonSerializer.Serialize(entry.Totals, JsonDefaults.Web),
            ["readCount"] = entry.ReadCount,
        };
        if (entry.ReadFrom is { } readFrom)
        {
            entity["readFrom"] = readFrom;
        }

        var manifest = JsonSerializer.Serialize(entry.Manifest, JsonDefaults.Web);
        if (Fits(manifest))
        {
            entity["manifest"] = manifest;
        }

        return entity;
    }

    private static IReadOnlyDictionary<string, decimal> ReadTotals(TableEntity entity) =>
        JsonSerializer.Deserialize<Dictionary<string, decimal>>(entity.GetString("totals") ?? "{}", JsonDefaults.Web) ?? [];

    private async Task<RollupIndexEntry> FromEntityAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var day = ReportDate.TryParse(entity.RowKey, out var parsed) ? parsed : default;
        var revision = entity.GetInt32("latestRevision") ?? 0;
        var scope = ScopeOf(entity.PartitionKey);
        var manifest = entity.GetString("manifest") is { } inline
            ? JsonSerializer.Deserialize<RollupManifest>(inline, JsonDefaults.Web)!
            : await store.ReadManifestAsync(day, scope, revision, cancellationToken)
                ?? throw new InvalidOperationException($"The manifest of the rollup of {ReportDate.Iso(day)} revision {revision} is missing.");
        return new RollupIndexEntry(
            day,
            scope,
            revision,
            entity.GetBoolean("stale") ?? false,
            entity.GetString("contentHash") ?? "",
            ReadTotals(entity),
            manifest,
            entity.ETag,
            // A row written before read windows existed (by day marks, `changeMarks`, or before them) has none: as if its
            // build had read no revision, so it is stale once its area holds one, as such a row was when a county had a mark.
            entity.GetDateTimeOffset("readFrom"),
            entity.GetInt32("readCount") ?? 0);
    }
}
