using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Units;
using Pipeline.Reporting.Validation;

namespace Pipeline.Functions.Http;

/// <summary>
/// The shared checks of the rollup functions: a real date that is not in the future, and an area (<c>?scope=</c>, by
/// default the caller's own: a county official's county) that is the prefecture or a county and that the caller may see.
/// </summary>
public sealed class RollupEndpoints(
    RollupIndex index, RollupStore store, RollupBuilder builder, UnitRegistry units, AccessPolicy access, ProblemFactory problems)
{
    /// <summary>Runs <paramref name="body"/> for the requested area when the caller may see it.</summary>
    public Task<IActionResult> ForScopeAsync(ApiCall call, Func<AdminUnit, Task<IActionResult>> body)
    {
        var requested = call.Request.Query["scope"].ToString();
        var code = requested.Length > 0 ? requested : call.Caller.Role == Role.Admin ? units.Root.Code : call.Caller.Scope;
        if (units.Find(code) is not { Level: UnitLevel.Prefecture or UnitLevel.County } scope)
        {
            return Task.FromResult<IActionResult>(problems.Validation([new FieldError("scope", "rollup.scopeInvalid", [code])], call.Language));
        }

        return access.CanViewArea(call.Caller, scope.Code)
            ? body(scope)
            : Task.FromResult<IActionResult>(problems.Create(
                StatusCodes.Status403Forbidden, "problem.forbidden", call.Language, "problem.forbidden.area", scope.NameZh));
    }

    /// <summary>Runs <paramref name="body"/> for a valid date, not in the future, and an area the caller may see.</summary>
    public Task<IActionResult> ForDayAsync(ApiCall call, string date, Func<DateOnly, AdminUnit, Task<IActionResult>> body) =>
        ForScopeAsync(call, async scope =>
        {
            if (!problems.TryRouteDate(date, call.Language, out var day, out var invalidDate))
            {
                return invalidDate;
            }

            return builder.IsFuture(day)
                ? problems.Validation([new FieldError("date", "rollup.futureDay", [ReportDate.Iso(day)])], call.Language)
                : await body(day, scope);
        });

    /// <summary>The latest manifest of the area, or revision <c>?revision=N</c>; null answers 404.</summary>
    public Task<(RollupManifestView? View, IActionResult? Problem)> FindAsync(ApiCall call, DateOnly day, AdminUnit scope) =>
        FindAsync(call, day, scope, index.GetAsync);

    /// <summary>The manifest <see cref="FindAsync(ApiCall, DateOnly, AdminUnit)"/> finds, from the area's entry as <paramref name="lookUp"/> gives it.</summary>
    private async Task<(RollupManifestView? View, IActionResult? Problem)> FindAsync(
        ApiCall call, DateOnly day, AdminUnit scope, Func<DateOnly, string, CancellationToken, Task<RollupIndexEntry?>> lookUp)
    {
        var entry = await lookUp(day, scope.Code, call.CancellationToken);
        if (entry is null)
        {
            return (null, problems.Create(StatusCodes.Status404NotFound, "problem.notFound", call.Language, "problem.notFound.rollup", ReportDate.Iso(day)));
        }

        var requested = call.Request.Query["revision"].ToString();
        if (requested.Length == 0)
        {
            return (View(entry.Manifest, entry), null);
        }

        // The latest revision's manifest is its row's; an older one's is in its blob.
        var manifest = !int.TryParse(requested, out var revision) || revision < 1 || revision > entry.LatestRevision ? null
            : revision == entry.LatestRevision ? entry.Manifest
            : await store.ReadManifestAsync(day, scope.Code, revision, call.CancellationToken);
        return manifest is null
            ? (null, problems.Create(StatusCodes.Status404NotFound, "problem.notFound", call.Language, "problem.notFound.rollupRevision", ReportDate.Iso(day), requested))
            : (View(manifest, entry), null);
    }

    /// <summary>
    /// One file of the revision <see cref="FindAsync(ApiCall, DateOnly, AdminUnit)"/> finds, or the 404 naming what is
    /// missing (the day, the revision or the file). A file is its revision's, stale or not: the area's row as recorded
    /// names both, so the counties' reports are not looked at (the view's Stale is the row's flag alone).
    /// </summary>
    public async Task<(RollupManifestView? View, RollupFileView? File, IActionResult? Problem)> FindFileAsync(ApiCall call, DateOnly day, AdminUnit scope, string name)
    {
        var (view, problem) = await FindAsync(call, day, scope, index.GetRecordedAsync);
        if (view is null)
        {
            return (null, null, problem);
        }

        return view.Files.FirstOrDefault(f => f.Name == name) is { } file
            ? (view, file, null)
            : (null, null, FileNotFound(call, name));
    }

    /// <summary>The 404 of a rollup file that is not in its revision.</summary>
    public IActionResult FileNotFound(ApiCall call, string name) =>
        problems.Create(StatusCodes.Status404NotFound, "problem.notFound", call.Language, "problem.notFound.rollupFile", name);

    /// <summary>The name a downloaded file is saved under: date, area (for a county) and revision, ASCII only.</summary>
    public string DownloadName(RollupManifestView view, string fileName) =>
        $"rollup-{view.Date}{(view.Scope == units.Root.Code ? "" : "-" + view.Scope)}-r{view.Revision}{Path.GetExtension(fileName)}";

    /// <summary>The content type a file is served with (the manifest's; the view does not carry it).</summary>
    public string ContentType(RollupManifestView view, string fileName) => Path.GetExtension(fileName) switch
    {
        ".json" => "application/json; charset=utf-8",
        ".csv" => "text/csv; charset=utf-8",
        ".xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".pdf" => "application/pdf",
        _ => "application/octet-stream",
    };

    public RollupManifestView View(RollupManifest manifest, RollupIndexEntry latest)
    {
        var isLatest = manifest.Revision == latest.LatestRevision;
        var scope = units.Find(latest.Scope) ?? units.Root;
        var query = (scope.Code == units.Root.Code ? "" : $"scope={scope.Code}&") + $"revision={manifest.Revision}";
        return new RollupManifestView(
            manifest.Date, scope.Code, scope.NameZh, manifest.Revision, manifest.GeneratedAt, latest.Stale || !isLatest, isLatest,
            manifest.Provisional, manifest.Completeness,
            manifest.Files.Select(f => new RollupFileView(f.Format, f.Name,
                $"/api/rollups/{manifest.Date}/files/{f.Name}?{query}",
                $"/api/rollups/{manifest.Date}/files/{f.Name}/link?{query}", f.Bytes, f.Sha256)).ToList());
    }
}
