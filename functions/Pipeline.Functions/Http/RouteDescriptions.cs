using System.Collections.Frozen;

namespace Pipeline.Functions.Http;

/// <summary>
/// The OpenAPI summary of each HTTP function, by function name; OpenApiTests fails when an HTTP function has no entry.
/// Who may call a function is not here: it is declared on the function's method (<see cref="RolesAttribute"/>,
/// <see cref="AnonymousAttribute"/>).
/// </summary>
public static class RouteDescriptions
{
    public static FrozenDictionary<string, RouteDescription> ByFunction { get; } = new Dictionary<string, RouteDescription>
    {
        ["Health"] = new("200 once storage answers and the app is initialised; 503 with Retry-After otherwise."),
        ["OpenApi"] = new("This document: the app's HTTP routes, generated from its function classes."),
        ["Units"] = new("The administrative divisions (prefecture, counties, townships) with Chinese and pinyin names."),
        ["Indicators"] = new("The indicator catalogue: groups, indicators, bounds and cross-field constraints."),
        ["ReportShape"] = new("The report's shape and its rules as data, with their messages, for clients that check before sending."),
        ["Form"] = new("The reporters' web form (static assets)."),
        ["Console"] = new("The officials' console (static assets)."),
        ["Enrol"] = new("Exchanges a one-time enrolment code for a token (410 when the code is unknown, used or expired)."),
        ["Me"] = new("The caller's role, scope and unit names."),
        ["IssueToken"] = new("Issues a token; an official only within its scope, for reporters (201, the secret shown once)."),
        ["ListTokens"] = new("Lists the tokens of a scope (?scope=CODE), never their secrets."),
        ["RevokeToken"] = new("Revokes a token by id (204); officials only tokens in their scope."),
        ["Board"] = new("The day's board for a scope: who reported, who is late, who is exempt."),
        ["ListExemptions"] = new("Lists the exemptions of a scope (?scope=CODE)."),
        ["MarkExemption"] = new("Marks a unit exempt from reporting from a date (201)."),
        ["RemoveExemption"] = new("Removes the exemption of a unit that starts on {from} (204, 404 when none)."),
        ["SubmitReport"] = new("Submits one unit's daily report: 201 stored, 200 the same submission again, 400 invalid."),
        ["GetReport"] = new("The current revision of a unit's report for a day."),
        ["GetReportRevisions"] = new("Every revision of a unit's report for a day, oldest first."),
        ["SubmitReportBatch"] = new("Uploads a CSV (or XLSX) of reports: 202 with a batch id; each row is checked against the caller's scope."),
        ["GetReportBatch"] = new("A batch's state and per-row outcomes; only its submitter (or an admin) may read it."),
        ["BuildRollup"] = new("Builds the rollup of a day (prefecture officials and admins; a county official gets 403)."),
        ["Completeness"] = new("Which units of a scope (?scope=CODE) have reported for a day."),
        ["ListRollups"] = new("The rollups built for a scope (?scope=CODE)."),
        ["GetRollup"] = new("The rollup of a day for the caller's scope."),
        ["GetRollupFile"] = new("Downloads a rollup file (CSV, XLSX, PDF)."),
        ["GetRollupLink"] = new("A time-limited download link (SAS) for a rollup file."),
        ["ListRollupLinks"] = new("The log of download links issued."),
        ["RunReminders"] = new("Sends the day's reminders now (?cutoff=HH:mm) to the groups of units not yet reported."),
        ["GetReminders"] = new("The reminders sent for a day, limited to the caller's scope."),
        ["ListPoison"] = new("The batch messages in the poison queue: message id, batch, reason, when, dequeue count; never the payload."),
        ["ReplayPoison"] = new("Puts a poison message back on the queue (202): its batch resumes where it stopped; 404 unknown, 409 not a batch."),
        ["BatchTemplate"] = new("A county's batch template (?scope=CODE&date=): UTF-8 CSV with BOM, one row per township, to fill in and upload."),
        ["BatchTemplateXlsx"] = new("The batch template as an XLSX workbook (?scope=CODE&date=), code and date columns text-formatted; upload it back as XLSX."),
        ["DropPoison"] = new("Removes a message from the poison queue (204, 404 unknown)."),
    }.ToFrozenDictionary();
}
