using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Units;
using Pipeline.Reporting.Submissions;

namespace Pipeline.Functions.Http;

/// <summary>The shared checks of the two report-reading functions: a real date, a known unit, the caller's scope.</summary>
public sealed class ReportReader(ReportStore store, UnitRegistry units, AccessPolicy access, ProblemFactory problems)
{
    public async Task<IActionResult> ReadAsync(
        ApiCall call, string date, string unitCode, Func<IReadOnlyList<StoredReport>, IActionResult> respond)
    {
        if (!problems.TryRouteDate(date, call.Language, out var reportDate, out var invalidDate))
        {
            return invalidDate;
        }

        if (!units.IsTownship(unitCode))
        {
            return problems.Create(StatusCodes.Status404NotFound, "problem.notFound", call.Language);
        }

        if (!access.CanAccessUnit(call.Caller, unitCode))
        {
            return problems.ForbiddenUnit(unitCode, call.Language);
        }

        var revisions = await store.GetRevisionsAsync(unitCode, reportDate, call.CancellationToken);
        return revisions.Count == 0
            ? problems.Create(StatusCodes.Status404NotFound, "problem.notFound", call.Language, "problem.notFound.report", date, unitCode)
            : respond(revisions);
    }
}
