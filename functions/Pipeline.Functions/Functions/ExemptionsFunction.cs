using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Officials;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Units;
using Pipeline.Reporting.Validation;

namespace Pipeline.Functions.Functions;

/// <summary>
/// Section 7: an official marks a township of its scope exempt for a day or a range of days, with a reason (a ranch
/// moved to summer pastures); an exempt township is not expected. Lists and removals for the console.
/// </summary>
public sealed partial class ExemptionsFunction(
    RequestGuard guard, ExemptionStore exemptions, UnitRegistry units, AccessPolicy access, ReportingClock clock, ProblemFactory problems,
    ILogger<ExemptionsFunction> logger)
{
    public const int MaxReason = 200;
    public const int MaxDays = 366;

    [Function("MarkExemption")]
    [Roles(Role.Official, Role.Admin)]
    public Task<IActionResult> Mark(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "exemptions")] HttpRequest request) =>
        guard.AuthorizedAsync(this, request, async call =>
        {
            var body = await RequestBody.ReadAsync(request, 4096, ["application/json"], call.CancellationToken);
            if (body.Fault != RequestBody.BodyFault.None)
            {
                return body.Fault == RequestBody.BodyFault.TooLarge
                    ? problems.Create(StatusCodes.Status413PayloadTooLarge, "problem.tooLarge", call.Language, "problem.tooLarge.detail", 4096)
                    : problems.Create(StatusCodes.Status415UnsupportedMediaType, "problem.unsupported", call.Language, "problem.unsupported.detail", "application/json");
            }

            ExemptionRequest? order;
            try
            {
                order = JsonSerializer.Deserialize<ExemptionRequest>(body.Bytes, JsonDefaults.Web);
            }
            catch (JsonException)
            {
                return problems.Create(StatusCodes.Status400BadRequest, "problem.malformed", call.Language);
            }

            var errors = new List<FieldError>();
            var unit = units.Find(order?.UnitCode);
            if (unit is null)
            {
                errors.Add(new FieldError("unitCode", "unitUnknown", [ReportValidator.Printable(Clip(order?.UnitCode ?? ""))]));
            }
            else if (unit.Level != UnitLevel.Township)
            {
                errors.Add(new FieldError("unitCode", "unitNotTownship", [unit.Code]));
            }

            var hasFrom = ReportDate.TryParse(order?.From, out var from);
            if (!hasFrom)
            {
                errors.Add(new FieldError("from", "dateFormat", []));
            }
            else if (from < clock.EarliestAcceptedDate)
            {
                errors.Add(new FieldError("from", "dateTooOld", [ReportDate.Iso(from), ReportDate.Iso(clock.EarliestAcceptedDate), clock.CorrectionWindowDays]));
            }

            var to = from;
            if (order?.To is { Length: > 0 } toText && (!ReportDate.TryParse(toText, out to) || (hasFrom && (to < from || to.DayNumber - from.DayNumber >= MaxDays))))
            {
                errors.Add(new FieldError("to", "exemptionRange", [MaxDays]));
            }

            var reason = order?.Reason?.Trim() ?? "";
            if (reason.Length == 0)
            {
                errors.Add(new FieldError("reason", "required", []));
            }
            else if (reason.Length > MaxReason)
            {
                errors.Add(new FieldError("reason", "tooLong", [MaxReason]));
            }
            else if (reason.Any(c => ReportValidator.IsForbidden(c, allowLineBreaks: false)))
            {
                errors.Add(new FieldError("reason", "controlCharacters", []));
            }

            if (errors.Count > 0)
            {
                return problems.Validation(errors, call.Language);
            }

            if (!access.CanAccessUnit(call.Caller, unit!.Code))
            {
                return problems.ForbiddenUnit(unit.Code, call.Language);
            }

            var exemption = await exemptions.MarkAsync(unit.Code, from, to, reason, call.Caller.TokenId, call.CancellationToken);
            LogMarked(unit.Code, from, to, call.Caller.TokenId);
            return new ApiResult(StatusCodes.Status201Created, BoardViews.Exemption(exemption));
        });

    [Function("ListExemptions")]
    [Roles(Role.Official, Role.Admin)]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "exemptions")] HttpRequest request) =>
        guard.AuthorizedAsync(this, request, async call =>
        {
            var scopeCode = request.Query["scope"].ToString() is { Length: > 0 } s ? s : call.Caller.Scope;
            if (units.Find(scopeCode) is not { } scope)
            {
                return problems.Create(StatusCodes.Status400BadRequest, "problem.badScope", call.Language, "problem.badScope.detail", ReportValidator.Printable(Clip(scopeCode)));
            }

            if (!access.CanViewArea(call.Caller, scope.Code))
            {
                return problems.Create(StatusCodes.Status403Forbidden, "problem.forbidden", call.Language, "problem.forbidden.area", scope.Code);
            }

            var from = ReportDate.TryParse(request.Query["from"], out var f) ? f : clock.EarliestAcceptedDate;
            var to = ReportDate.TryParse(request.Query["to"], out var t) ? t : clock.Today.AddDays(MaxDays);
            var found = await exemptions.WithinAsync(scope, from, to, call.CancellationToken);
            return ApiResult.Ok(found.Select(BoardViews.Exemption).ToList());
        });

    [Function("RemoveExemption")]
    [Roles(Role.Official, Role.Admin)]
    public Task<IActionResult> Remove(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "exemptions/{unitCode}/{from}")] HttpRequest request,
        string unitCode,
        string from) =>
        guard.AuthorizedAsync(this, request, async call =>
        {
            if (!units.IsTownship(unitCode) || !ReportDate.TryParse(from, out var day))
            {
                return problems.Create(StatusCodes.Status404NotFound, "problem.notFound", call.Language);
            }

            if (!access.CanAccessUnit(call.Caller, unitCode))
            {
                return problems.ForbiddenUnit(unitCode, call.Language);
            }

            if (!await exemptions.RemoveAsync(unitCode, day, call.CancellationToken))
            {
                return problems.Create(StatusCodes.Status404NotFound, "problem.notFound", call.Language);
            }

            LogRemoved(unitCode, day, call.Caller.TokenId);
            return ApiResult.NoContent();
        });

    private static string Clip(string s) => s.Length > 20 ? s[..20] : s;

    public sealed record ExemptionRequest(string? UnitCode, string? From, string? To, string? Reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unit {UnitCode} exempt from {From:yyyy-MM-dd} to {To:yyyy-MM-dd}, marked by {TokenId}")]
    private partial void LogMarked(string unitCode, DateOnly from, DateOnly to, string tokenId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Exemption of unit {UnitCode} from {From:yyyy-MM-dd} removed by {TokenId}")]
    private partial void LogRemoved(string unitCode, DateOnly from, string tokenId);
}
