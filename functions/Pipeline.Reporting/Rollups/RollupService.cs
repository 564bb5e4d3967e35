using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Reporting.Time;

namespace Pipeline.Reporting.Rollups;

public sealed record RollupBuildResult(bool Created, RollupManifest Manifest);

/// <summary>
/// Builds a day's rollup into a new immutable revision, only when its content differs from the latest
/// revision (idempotent), one build per day at a time (blob lease), files before manifest before index.
/// </summary>
public sealed partial class RollupService(
    RollupBuilder builder,
    DayReader reader,
    RollupIndex index,
    RollupStore store,
    IEnumerable<IRollupRenderer> renderers,
    ReportingClock clock,
    ILogger<RollupService> logger,
    IEnumerable<IRollupRevisionListener> revisionListeners)
{
    public async Task<RollupBuildResult> BuildAsync(DateOnly date, CancellationToken cancellationToken)
    {
        await using var _ = await store.LockDayAsync(date, cancellationToken);
        var before = await index.GetAsync(date, cancellationToken);
        var readStartedAt = clock.UtcNow;
        var content = await builder.BuildAsync(date, cancellationToken);
        var contentHash = Hash(content);
        if (before is not null && before.ContentHash == contentHash)
        {
            await index.SaveAsync(before with { Stale = false, ReadStartedAt = readStartedAt }, cancellationToken);
            await MarkIfChangedWhileReadingAsync(date, readStartedAt, content, cancellationToken);
            LogUnchanged(date, before.LatestRevision);
            return new RollupBuildResult(false, before.Manifest);
        }

        var revision = (before?.LatestRevision ?? 0) + 1;
        var generatedAt = clock.UtcNow;
        var document = content with { Revision = revision, GeneratedAt = generatedAt };
        // The four files side by side: storage is idle meanwhile, and the workbook of a large area takes the longest.
        var files = await Task.WhenAll(renderers.Select(r => Task.Run(() => r.Render(document), cancellationToken)));
        var manifest = await store.WriteRevisionAsync(date, revision, generatedAt, document.Completeness, files, cancellationToken);
        await index.SaveAsync(new RollupIndexEntry(date, revision, false, contentHash, document.Totals, readStartedAt, manifest,
            before?.ETag ?? default), cancellationToken);
        await MarkIfChangedWhileReadingAsync(date, readStartedAt, document, cancellationToken);
        if (before is null || !SameTotals(before.Totals, document.Totals))
        {
            await index.MarkLaterStaleAsync(date, cancellationToken);
        }

        LogBuilt(date, revision, document.Completeness.Reported, document.Completeness.Expected);
        if (before is not null)
        {
            var built = new RollupRevisionBuilt(date, revision, before.LatestRevision, before.Manifest.Completeness, before.Totals,
                document.Completeness, document.Totals);
            foreach (var listener in revisionListeners)
            {
                await listener.RevisionBuiltAsync(built, cancellationToken);
            }
        }

        return new RollupBuildResult(true, manifest);
    }

    /// <summary>
    /// A report saved while this build read (even the first build, when there was no rollup for the marker to
    /// mark) makes the day stale at once. Storage timestamps, with a margin for clock skew.
    /// </summary>
    private async Task MarkIfChangedWhileReadingAsync(DateOnly date, DateTimeOffset readStartedAt, RollupDocument read, CancellationToken cancellationToken)
    {
        if (await reader.ChangedSinceAsync(date, readStartedAt - TimeSpan.FromMinutes(5), read.Units, cancellationToken))
        {
            await index.MarkStaleAsync(date, null, cancellationToken);
        }
    }

    /// <summary>
    /// The content's fingerprint: the document without revision and generation time, serialized straight into the
    /// hash (a large area's document is tens of megabytes of JSON, never held as one array).
    /// </summary>
    public static string Hash(RollupDocument content)
    {
        using var sha = SHA256.Create();
        using (var hashing = new CryptoStream(Stream.Null, sha, CryptoStreamMode.Write))
        {
            JsonSerializer.Serialize(hashing, content with { Revision = 0, GeneratedAt = null }, JsonDefaults.Web);
        }

        return Convert.ToHexStringLower(sha.Hash!);
    }

    private static bool SameTotals(IReadOnlyDictionary<string, decimal> a, IReadOnlyDictionary<string, decimal> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollup of {Date}: revision {Revision} built, {Reported}/{Expected} units reported")]
    private partial void LogBuilt(DateOnly date, int revision, int reported, int expected);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollup of {Date}: inputs unchanged, revision {Revision} stays current")]
    private partial void LogUnchanged(DateOnly date, int revision);
}
