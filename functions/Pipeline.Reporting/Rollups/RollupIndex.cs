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
/// large area on a poor day) is read from the revision's <c>manifest.json</c> blob instead.
/// <para>
/// Stale, as <see cref="GetAsync"/> and <see cref="ListAsync"/> answer it, is the row's flag (a build that met a
/// report while it read, an earlier day rebuilt) or a day mark of the area's counties changed since the build
/// recorded them (<see cref="DayChangeMarks"/>): a report writes only its own county's rows and never reads this table.
/// </para>
/// </summary>
public sealed class RollupIndex(
    StorageTables tables, IndicatorCatalogue catalogue, RollupStore store, OptimisticConcurrency concurrency, UnitRegistry units, ReportStore reports)
{
    private const string PrefecturePartition = "day";

    private static readonly string NoMarks = new DayChangeMarks(new Dictionary<string, string>()).DigestOf([]);

    /// <summary>A string property holds at most 64 KiB of UTF-16: 32K characters.</summary>
    public const int MaxInlineManifestChars = 32_000;

    /// <summary>The index partition of an area: the prefecture's keeps its first name, <c>day</c>.</summary>
    private string Partition(string scope) => scope == units.Root.Code ? PrefecturePartition : "day-" + scope;

    private string ScopeOf(string partition) => partition == PrefecturePartition ? units.Root.Code : partition["day-".Length..];

    /// <summary>An area's built day, stale if its flag says so or a report of the area's day was written since the build.</summary>
    public async Task<RollupIndexEntry?> GetAsync(DateOnly date, string scope, CancellationToken cancellationToken)
    {
        var entry = GetRecordedAsync(date, scope, cancellationToken);
        var marks = ReadChangeMarksAsync(date, CountiesOf(scope), cancellationToken);
        await Task.WhenAll(entry, marks);
        return entry.Result is { } recorded ? recorded with { Stale = recorded.Stale || ChangedSinceBuilt(recorded, marks.Result) } : null;
    }

    /// <summary>An area's built day as its row records it: the stale flag alone, not the day marks (what a build starts from).</summary>
    public async Task<RollupIndexEntry?> GetRecordedAsync(DateOnly date, string scope, CancellationToken cancellationToken)
    {
        var found = await tables.Rollups.GetEntityIfExistsAsync<TableEntity>(Partition(scope), ReportDate.Iso(date), cancellationToken: cancellationToken);
        return found.HasValue ? await FromEntityAsync(found.Value!, cancellationToken) : null;
    }

    /// <summary>Every county's day mark of <paramref name="date"/> as it is now: what a build records before reading the day.</summary>
    public Task<DayChangeMarks> ReadChangeMarksAsync(DateOnly date, CancellationToken cancellationToken) =>
        ReadChangeMarksAsync(date, units.Counties.Select(c => c.Code).ToList(), cancellationToken);

    private async Task<DayChangeMarks> ReadChangeMarksAsync(DateOnly date, IReadOnlyList<string> counties, CancellationToken cancellationToken)
    {
        var marks = await DayReader.PerCountyAsync(counties, (county, ct) => reports.ReadDayMarkAsync(date, county, ct), cancellationToken);
        return new DayChangeMarks(Enumerable.Range(0, counties.Count)
            .Where(i => marks[i] is not null)
            .ToDictionary(i => counties[i], i => marks[i]!.Value.ToString(), StringComparer.Ordinal));
    }

    /// <summary>The counties whose reports an area's rollup reads: every county for the prefecture, else the county itself.</summary>
    private IReadOnlyList<string> CountiesOf(string scope) => scope == units.Root.Code ? units.Counties.Select(c => c.Code).ToList() : [scope];

    private bool ChangedSinceBuilt(RollupIndexEntry entry, DayChangeMarks now) => now.DigestOf(CountiesOf(entry.Scope)) != entry.ChangeMarks;

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
        // "day" < "day-{county}" < "day." in key order: every area's partition and nothing else.
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {PrefecturePartition} and PartitionKey lt {PrefecturePartition + "."}");
        await foreach (var entity in tables.Rollups.QueryAsync<TableEntity>(
            filter, select: ["PartitionKey", "RowKey", "totals", "stale"], cancellationToken: cancellationToken))
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
        // The area's marks of the whole period first: one range read per county.
        var counties = CountiesOf(scope);
        var marks = await DayReader.PerCountyAsync(counties, (county, ct) => reports.ReadDayMarksAsync(from, to, county, ct), cancellationToken);
        DayChangeMarks MarksOf(DateOnly day) => new(Enumerable.Range(0, counties.Count)
            .Where(i => marks[i].ContainsKey(day))
            .ToDictionary(i => counties[i], i => marks[i][day].ToString(), StringComparer.Ordinal));

        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {Partition(scope)} and RowKey ge {ReportDate.Iso(from)} and RowKey le {ReportDate.Iso(to)}");
        await foreach (var entity in tables.Rollups.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var entry = await FromEntityAsync(entity, cancellationToken);
            yield return entry with { Stale = entry.Stale || ChangedSinceBuilt(entry, MarksOf(entry.Date)) };
        }
    }

    /// <summary>
    /// Records a built revision, with the day marks the build read before reading the reports (<paramref name="marks"/>):
    /// a report written after them, which the read may have missed, makes the day stale. With an ETag from before the build, a stale flag set meanwhile is kept.
    /// </summary>
    public async Task SaveAsync(RollupIndexEntry entry, DayChangeMarks marks, CancellationToken cancellationToken)
    {
        var attempt = 0;
        entry = entry with { ChangeMarks = marks.DigestOf(CountiesOf(entry.Scope)) };
        await concurrency.RunAsync(async ct =>
        {
            // After a conflict an earlier day changed (or a report landed while this build read): record the revision, stay stale.
            var write = attempt++ == 0 ? entry : entry with { Stale = true, ETag = (await GetRecordedAsync(entry.Date, entry.Scope, ct))?.ETag ?? default };
            if (write.ETag == default)
            {
                await tables.Rollups.AddEntityAsync(ToEntity(write), ct);
            }
            else
            {
                await tables.Rollups.UpdateEntityAsync(ToEntity(write), write.ETag, TableUpdateMode.Replace, ct);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Sets an area's built day's stale flag: its cumulative figures changed, or its build missed a report written while
    /// it read. A day without a rollup has nothing to mark. (A report does not call this: see <see cref="DayChangeMarks"/>.)
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
            ["changeMarks"] = entry.ChangeMarks,
        };
        var manifest = JsonSerializer.Serialize(entry.Manifest, JsonDefaults.Web);
        if (manifest.Length <= MaxInlineManifestChars)
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
            // A row written before day marks existed holds none: as if built when no county had a mark.
            entity.GetString("changeMarks") ?? NoMarks);
    }
}
