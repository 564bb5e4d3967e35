using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Reminders;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Submissions;

namespace Pipeline.Functions.Functions;

/// <summary>A day's reminder log: the groups whose scope is the official's own or lies under it; admins see every group.</summary>
public sealed class GetRemindersFunction(RequestGuard guard, ReminderLog log, ProblemFactory problems)
{
    [Function("GetReminders")]
    [Roles(Role.Official, Role.Admin)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reminders/{date}")] HttpRequest request,
        string date) =>
        guard.AuthorizedAsync(this, request, async call =>
        {
            if (!ReportDate.TryParse(date, out var day))
            {
                return problems.Create(StatusCodes.Status404NotFound, "problem.notFound", call.Language);
            }

            var scope = call.Caller.Role == Role.Admin ? null : call.Caller.Scope;
            return ApiResult.Ok(await log.ReadAsync(day, scope, call.CancellationToken));
        });
}
