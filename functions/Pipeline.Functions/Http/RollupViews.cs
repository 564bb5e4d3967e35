using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Units;

namespace Pipeline.Functions.Http;

public sealed record RollupFileView(string Format, string Name, string Url, long Bytes, string Sha256);

/// <summary>A rollup manifest as the API shows it: <c>stale</c> is live, <c>url</c> is the download route of that revision.</summary>
public sealed record RollupManifestView(
    string Date, int Revision, DateTimeOffset GeneratedAt, bool Stale, bool Latest, Completeness Completeness, IReadOnlyList<RollupFileView> Files);

public sealed record CompletenessView(
    string Date, string Scope, string ScopeName, int Expected, int Reported, int OnTime, int Late, IReadOnlyList<MissingUnit> Missing, int Exempt = 0);

/// <summary>The shared checks of the rollup functions: a real date, and a caller who may see the whole prefecture.</summary>
public sealed class RollupEndpoints(RollupIndex index, RollupStore store, UnitRegistry units, AccessPolicy access, ProblemFactory problems)
{
    /// <summary>Runs <paramref name="body"/> when the caller may see the prefecture rollup (scope 623000 or admin).</summary>
    public Task<IActionResult> ForPrefectureAsync(ApiCall call, Func<Task<IActionResult>> body) =>
        access.CanViewArea(call.Caller, units.Root.Code)
            ? body()
            : Task.FromResult<IActionResult>(problems.Create(
                StatusCodes.Status403Forbidden, "problem.forbidden", call.Language, "problem.forbidden.area", units.Root.NameZh));

    /// <summary>Runs <paramref name="body"/> for a valid date when the caller may see the prefecture rollup.</summary>
    public Task<IActionResult> ForDayAsync(ApiCall call, string date, Func<DateOnly, Task<IActionResult>> body) =>
        ForPrefectureAsync(call, async () => RollupDates.TryParse(date, out var day)
            ? await body(day)
            : problems.Create(StatusCodes.Status404NotFound, "problem.notFound", call.Language, "problem.notFound.rollup", date));

    /// <summary>The latest manifest, or revision <c>?revision=N</c>; null answers 404.</summary>
    public async Task<(RollupManifestView? View, IActionResult? Problem)> FindAsync(ApiCall call, DateOnly day)
    {
        var entry = await index.GetAsync(day, call.CancellationToken);
        if (entry is null)
        {
            return (null, problems.Create(StatusCodes.Status404NotFound, "problem.notFound", call.Language, "problem.notFound.rollup", RollupDates.Iso(day)));
        }

        var requested = call.Request.Query["revision"].ToString();
        if (requested.Length == 0)
        {
            return (View(entry.Manifest, entry), null);
        }

        var manifest = int.TryParse(requested, out var revision) && revision >= 1 && revision <= entry.LatestRevision
            ? await store.ReadManifestAsync(day, revision, call.CancellationToken)
            : null;
        return manifest is null
            ? (null, problems.Create(StatusCodes.Status404NotFound, "problem.notFound", call.Language, "problem.notFound.rollupRevision", RollupDates.Iso(day), requested))
            : (View(manifest, entry), null);
    }

    public static RollupManifestView View(RollupManifest manifest, RollupIndexEntry latest)
    {
        var isLatest = manifest.Revision == latest.LatestRevision;
        return new RollupManifestView(
            manifest.Date, manifest.Revision, manifest.GeneratedAt, latest.Stale || !isLatest, isLatest, manifest.Completeness,
            manifest.Files.Select(f => new RollupFileView(f.Format, f.Name,
                $"/api/rollups/{manifest.Date}/files/{f.Name}?revision={manifest.Revision}", f.Bytes, f.Sha256)).ToList());
    }
}
