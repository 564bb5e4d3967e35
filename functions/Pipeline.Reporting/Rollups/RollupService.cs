using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Pipeline.Reporting.Rollups.Rendering;
using Pipeline.Reporting.Time;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// Builds a day's rollups, the prefecture's and every county's, each into a new immutable revision only when its
/// content differs from that area's latest revision (idempotent: a county's revision changes only when its own inputs
/// do), one build per day at a time (blob lease), files before the index row that names them (and holds their manifest).
/// </summary>
public sealed partial class RollupService(
    RollupBuilder builder,
    RollupIndex index,
    RollupStore store,
    IEnumerable<IRollupRenderer> fileRenderers,
    ReportingClock clock,
    ILogger<RollupService> logger,
    IEnumerable<IRollupRevisionListener> revisionListeners)
{
    /// <summary>
    /// Areas saved at once: enough to keep the storage busy after the last county is read, few enough to bound the memory
    /// of their files (a county's are each under a block, <see cref="RollupStore.SingleUploadBytes"/>). While the county
    /// queries scan, Azurite serves hardly any upload, so most counties' files go after the read: with 4 areas in flight
    /// it then waited on the saves' round trips for 10-50% of that time; with 32 it is busy until the prefecture's files.
    /// </summary>
    public const int AreasInParallel = 32;

    private readonly IReadOnlyList<IRollupRenderer> renderers = [.. fileRenderers];

    public async Task<RollupBuildResult> BuildAsync(DateOnly date, CancellationToken cancellationToken)
    {
        await using var dayLock = await store.LockDayAsync(date, cancellationToken);
        var scopes = builder.Scopes;
        // Each area's row before reading, all in one query: its ETag keeps a stale mark set while this build reads.
        var recorded = index.RecordedOfDayAsync(date, cancellationToken);
        // Every area's other built days in one query: the cumulative totals before, the later days to mark if totals change.
        var around = index.AroundAsync(date, cancellationToken);
        // The storage's time before the reports: every revision this read may miss is stamped after the window opens, and
        // the read counts the ones in the window it met, so the index finds an area stale when its counties hold more.
        // No second look at the reports is needed, and a report writes nothing for it.
        var window = await index.OpenReadWindowAsync(date, cancellationToken);
        await Task.WhenAll(recorded, around);
        var before = scopes.Select(s => recorded.Result.GetValueOrDefault(s.Code)).ToArray();
        var provisional = builder.IsProvisional(date);
        // Each county is saved as soon as it is composed, AreasInParallel at a time, while the storage still reads the
        // other counties. The prefecture's content is hashed county by county in code order as they are read, and its
        // JSON (every unit of the day) written into its next revision's blob as they come (in the background), once any
        // county's content differs from its row's (before that, the prefecture looks unchanged and nothing is written for
        // it). What needs the whole day (its totals, its other files) comes once every county is read; an area is CPU
        // (hash, render) and then storage round trips (files, manifest, index).
        var areas = new RollupAreaResult[scopes.Count];
        var composed = Channel.CreateUnbounded<(int Scope, RollupDocument Content, string ContentHash)>();
        var prefecture = new TaskCompletionSource<RollupDocument>(TaskCreationOptions.RunContinuationsAsynchronously);
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (before[0] is null)
        {
            changed.SetResult();
        }

        await using var streamed = new StreamingArea(store, renderers, date,
            builder.PrefectureStart(date, provisional) with { Revision = NextRevision(before[0]) }, clock);
        // Either side failing stops the other.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = ComposeAsync();
        var countiesSaved = Parallel.ForEachAsync(
            composed.Reader.ReadAllAsync(stop.Token),
            new ParallelOptions { MaxDegreeOfParallelism = AreasInParallel, CancellationToken = stop.Token },
            async (area, ct) => areas[area.Scope] = await SaveAreaAsync(
                date, before[area.Scope], area.Content, area.ContentHash, window, around.Result, null, ct));
        var saving = Task.WhenAll(countiesSaved, SavePrefectureAsync());
        _ = saving.ContinueWith(_ => stop.Cancel(), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        try
        {
            await Task.WhenAll(reading, saving);
        }
        catch (OperationCanceledException) when (saving.IsFaulted)
        {
            // The read stopped because a save failed: that failure is the one to tell.
            await saving;
        }

        return new RollupBuildResult(areas[0].Created, areas[0].Manifest, areas);

        async Task ComposeAsync()
        {
            try
            {
                await builder.BuildAsync(date, provisional, around.Result, async (i, content, ct) =>
                {
                    if (i == 0)
                    {
                        prefecture.SetResult(content);
                        return;
                    }

                    var contentHash = Hash(content);
                    if (before[i]?.ContentHash != contentHash)
                    {
                        changed.TrySetResult();
                    }

                    await composed.Writer.WriteAsync((i, content, contentHash), ct);
                }, stop.Token, window, county => streamed.Add(county, changed.Task.IsCompleted));
            }
            catch
            {
                await stop.CancelAsync();
                throw;
            }
            finally
            {
                composed.Writer.Complete();
            }
        }

        async Task SavePrefectureAsync()
        {
            var content = await prefecture.Task.WaitAsync(stop.Token);
            areas[0] = await SaveAreaAsync(date, before[0], content, streamed.ContentHash(content), window, around.Result, streamed, stop.Token);
        }
    }

    private static int NextRevision(RollupIndexEntry? before) => (before?.LatestRevision ?? 0) + 1;

    /// <param name="streamed">The area's files already written while it was read (the prefecture's), if any: finished here if its content is new.</param>
    private async Task<RollupAreaResult> SaveAreaAsync(
        DateOnly date, RollupIndexEntry? before, RollupDocument content, string contentHash, ReadWindow window, BuiltDaysAround around,
        StreamingArea? streamed, CancellationToken cancellationToken)
    {
        var scope = content.Scope.Code;
        if (before is not null && before.ContentHash == contentHash)
        {
            // A file streamed for a revision that is not made is never completed: nothing of it is visible.
            var kept = await index.SaveAsync(before with { Stale = false }, window, cancellationToken);
            LogUnchanged(date, scope, before.LatestRevision);
            return new RollupAreaResult(scope, false, before.Manifest, kept);
        }

        var revision = NextRevision(before);
        var generatedAt = streamed?.GeneratedAt ?? clock.UtcNow;
        var changes = before is null ? null : await RevisionChangesAsync(date, scope, before.LatestRevision, content, cancellationToken);
        var document = content with { Revision = revision, GeneratedAt = generatedAt, RevisionChanges = changes };
        var manifest = await store.WriteRevisionAsync(date, scope, revision, generatedAt, document.Provisional, document.Completeness,
            renderers, document, cancellationToken, streamed);
        // The latest manifest lives in the area's row: a blob only for one the row cannot hold, and for the revision before,
        // which the row held until now, written before the row names this one (a first build writes no manifest blob).
        await Task.WhenAll(
            RollupIndex.Holds(manifest) ? Task.CompletedTask : store.WriteManifestAsync(date, scope, manifest, cancellationToken),
            before is not null && RollupIndex.Holds(before.Manifest)
                ? store.WriteManifestAsync(date, scope, before.Manifest, cancellationToken)
                : Task.CompletedTask);
        var saved = await index.SaveAsync(new RollupIndexEntry(date, scope, revision, false, contentHash, document.Totals, manifest,
            before?.ETag ?? default), window, cancellationToken);
        if (before is null || !SameValues(before.Totals, document.Totals))
        {
            // Their cumulative figures changed. Only the later days the build's one read of the index found: the newest
            // day, the nightly build's, has none, so it asks nothing more.
            foreach (var later in around.LaterNotStale(scope))
            {
                await index.MarkStaleAsync(later, scope, cancellationToken);
            }
        }

        LogBuilt(date, scope, revision, document.Completeness.Reported, document.Completeness.Expected);
        if (before is not null && document.IsPrefecture)
        {
            // The listeners (the reminders' revision notice) speak of the prefecture's rollup.
            var built = new RollupRevisionBuilt(date, revision, before.LatestRevision, before.Manifest.Completeness, before.Totals,
                document.Completeness, document.Totals);
            foreach (var listener in revisionListeners)
            {
                await listener.RevisionBuiltAsync(built, cancellationToken);
            }
        }

        return new RollupAreaResult(scope, true, manifest, saved);
    }

    /// <summary>
    /// What revision <paramref name="previousRevision"/> of the area said and this content says differently: the units
    /// whose report appeared or whose values changed, and the totals before and after.
    /// </summary>
    private async Task<RevisionChanges?> RevisionChangesAsync(
        DateOnly date, string scope, int previousRevision, RollupDocument content, CancellationToken cancellationToken)
    {
        var previous = await store.ReadDocumentAsync(date, scope, previousRevision, cancellationToken);
        return previous is null ? null : Compare(previous, content);
    }

    public static RevisionChanges Compare(RollupDocument previous, RollupDocument current)
    {
        var then = previous.Units.ToDictionary(u => u.Code, StringComparer.Ordinal);
        var changed = new List<UnitChange>();
        foreach (var unit in current.Units)
        {
            then.TryGetValue(unit.Code, out var old);
            var oldValues = old is { Reported: true } ? old.Values : new Dictionary<string, decimal>();
            var newValues = unit.Reported ? unit.Values : new Dictionary<string, decimal>();
            if ((old?.Reported ?? false) != unit.Reported || !SameValues(oldValues, newValues))
            {
                changed.Add(new UnitChange(unit.Code, unit.Name, unit.CountyCode, old?.Revision, unit.Revision, oldValues, newValues));
            }
        }

        return new RevisionChanges(previous.Revision, previous.GeneratedAt, changed, previous.Totals, current.Totals);
    }

    /// <summary>The content's fingerprint (<see cref="RollupContentHash"/>): the document without revision, generation time and the comparison with the revision before.</summary>
    public static string Hash(RollupDocument content) => RollupContentHash.Of(content);

    private static bool SameValues(IReadOnlyDictionary<string, decimal> a, IReadOnlyDictionary<string, decimal> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollup of {Date:yyyy-MM-dd} for {Scope}: revision {Revision} built, {Reported}/{Expected} units reported")]
    private partial void LogBuilt(DateOnly date, string scope, int revision, int reported, int expected);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollup of {Date:yyyy-MM-dd} for {Scope}: inputs unchanged, revision {Revision} stays current")]
    private partial void LogUnchanged(DateOnly date, string scope, int revision);
}
