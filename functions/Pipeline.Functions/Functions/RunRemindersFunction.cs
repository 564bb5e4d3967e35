using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Reminders;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Validation;

namespace Pipeline.Functions.Functions;

/// <summary>Runs one cutoff now, for any day of the correction window and any HH:mm (a missed cutoff); a second run sends nothing new.</summary>
public sealed class RunRemindersFunction(RequestGuard guard, ReminderService reminders, ReportingClock clock, ProblemFactory problems)
{
    [Function("RunReminders")]
    [Roles(Role.Admin)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "reminders/{date}/run")] HttpRequest request,
        string date) =>
        guard.AuthorizedAsync(this, request, async call =>
        {
            var errors = new List<FieldError>();
            if (!ReportDate.TryParse(date, out var day))
            {
                errors.Add(new FieldError("date", "dateFormat", []));
            }
            else if (day < clock.EarliestAcceptedDate || day > clock.Today)
            {
                errors.Add(new FieldError("date", "reminderDateWindow", [date, ReportDate.Iso(clock.EarliestAcceptedDate), ReportDate.Iso(clock.Today)]));
            }

            if (!TimeOnly.TryParseExact(request.Query["cutoff"].ToString(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var cutoff))
            {
                errors.Add(new FieldError("cutoff", "reminderCutoffFormat", []));
            }

            if (errors.Count > 0)
            {
                return problems.Validation(errors, call.Language);
            }

            return ApiResult.Ok(await reminders.RunCutoffAsync(day, cutoff, call.CancellationToken));
        },
        // The run sends and retries for its own budget (RunBudget); the per-request storage deadline would cut it off
        // after 5 s, perhaps between a robot's acceptance and the mark, and answer that storage did not respond.
        RequestGuard.NoDeadline);
}
