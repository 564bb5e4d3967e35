using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Batches;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Units;
using Pipeline.Reporting.Validation;

namespace Pipeline.Functions.Functions;

/// <summary>
/// The batch template for a scope and day, one row per township, to fill in and upload, as CSV or as an XLSX
/// workbook: officials within their scope, admin anywhere.
/// </summary>
public sealed class BatchTemplateFunction(
    RequestGuard guard, BatchTemplate template, UnitRegistry units, AccessPolicy access, ReportingClock clock, ProblemFactory problems)
{
    [Function("BatchTemplate")]
    [Roles(Role.Official, Role.Admin)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "templates/batch.csv")] HttpRequest request) =>
        Download(request, (scope, day, language) =>
            new DownloadResult(template.Render(scope, day, language), "text/csv; charset=utf-8", BatchTemplate.FileName(scope.Code, day)));

    [Function("BatchTemplateXlsx")]
    [Roles(Role.Official, Role.Admin)]
    public Task<IActionResult> RunXlsx(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "templates/batch.xlsx")] HttpRequest request) =>
        Download(request, (scope, day, language) =>
            new DownloadResult(template.RenderXlsx(scope, day, language), XlsxSheetReader.MediaType, BatchTemplate.FileName(scope.Code, day, "xlsx")));

    // The calling function's name goes on to the guard, which reads the roles declared on that method.
    private Task<IActionResult> Download(
        HttpRequest request, Func<AdminUnit, DateOnly, Language, IActionResult> render, [CallerMemberName] string method = "") =>
        guard.AuthorizedAsync(this, request, call =>
        {
            // The route exists whatever the query says: a bad date or scope is named (400), not "not found".
            var date = request.Query["date"].ToString() is { Length: > 0 } d ? d : ReportDate.Iso(clock.Today);
            if (!problems.TryRouteDate(date, call.Language, out var day, out var invalidDate))
            {
                return Task.FromResult<IActionResult>(invalidDate);
            }

            var scopeCode = request.Query["scope"].ToString() is { Length: > 0 } s ? s : call.Caller.Scope;
            if (units.Find(scopeCode) is not { } scope)
            {
                var printable = ReportValidator.Printable(scopeCode.Length > 20 ? scopeCode[..20] : scopeCode);
                return Task.FromResult<IActionResult>(problems.Validation([new FieldError("scope", "batchTemplate.scopeUnknown", [printable])], call.Language));
            }

            if (!access.CanViewArea(call.Caller, scope.Code))
            {
                return Task.FromResult<IActionResult>(problems.Create(StatusCodes.Status403Forbidden, "problem.forbidden", call.Language, "problem.forbidden.area", scope.Code));
            }

            return Task.FromResult(render(scope, day, call.Language));
        }, method: method);
}
