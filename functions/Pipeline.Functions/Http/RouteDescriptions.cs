using System.Collections.Frozen;
using Pipeline.Reporting.Access;

namespace Pipeline.Functions.Http;

/// <summary>
/// Summaries and admitted roles per function name. The roles sit in a lambda argument that reflection cannot see,
/// so they are listed here; OpenApiTests fails when an HTTP function has no entry, and the access matrix test proves
/// the roles against the running app.
/// </summary>
public static class RouteDescriptions
{
    private static readonly Role[] Anyone = [];
    private static readonly Role[] Everyone = [Role.Reporter, Role.Official, Role.Admin];
    private static readonly Role[] Officials = [Role.Official, Role.Admin];
    private static readonly Role[] AdminOnly = [Role.Admin];

    public static FrozenDictionary<string, RouteDescription> ByFunction { get; } = new Dictionary<string, RouteDescription>
    {
        ["Health"] = new("200 once storage answers and the app is initialised; 503 with Retry-After otherwise.", Anyone),
        ["OpenApi"] = new("This document: the app's HTTP routes, generated from its function classes.", Anyone),
        ["Units"] = new("The administrative divisions (prefecture, counties, townships) with Chinese and pinyin names.", Anyone),
        ["Indicators"] = new("The indicator catalogue: groups, indicators, bounds and cross-field constraints.", Anyone),
        ["ReportShape"] = new("The report's shape and its rules as data, with their messages, for clients that check before sending.", Anyone),
        ["Form"] = new("The reporters' web form (static assets).", Anyone),
        ["Console"] = new("The officials' console (static assets).", Anyone),
        ["Enrol"] = new("Exchanges a one-time enrolment code for a token (410 when the code is unknown, used or expired).", Anyone),
        ["Me"] = new("The caller's role, scope and unit names.", Everyone),
        ["IssueToken"] = new("Issues a token; an official only within its scope, for reporters (201, the secret shown once).", Officials),
        ["ListTokens"] = new("Lists the tokens of a scope (?scope=CODE), never their secrets.", Officials),
        ["RevokeToken"] = new("Revokes a token by id (204); officials only tokens in their scope.", Officials),
        ["Board"] = new("The day's board for a scope: who reported, who is late, who is exempt.", Officials),
        ["ListExemptions"] = new("Lists the exemptions of a scope (?scope=CODE).", Officials),
        ["MarkExemption"] = new("Marks a unit exempt from reporting from a date (201).", Officials),
        ["RemoveExemption"] = new("Removes the exemption of a unit that starts on {from} (204, 404 when none).", Officials),
        ["SubmitReport"] = new("Submits one unit's daily report: 201 stored, 200 the same submission again, 400 invalid.", Everyone),
        ["GetReport"] = new("The current revision of a unit's report for a day.", Everyone),
        ["GetReportRevisions"] = new("Every revision of a unit's report for a day, oldest first.", Everyone),
        ["SubmitReportBatch"] = new("Uploads a CSV (or XLSX) of reports: 202 with a batch id; each row is checked against the caller's scope.", Everyone),
        ["GetReportBatch"] = new("A batch's state and per-row outcomes; only its submitter (or an admin) may read it.", Everyone),
        ["BuildRollup"] = new("Builds the rollup of a day (prefecture officials and admins; a county official gets 403).", Officials),
        ["Completeness"] = new("Which units of a scope (?scope=CODE) have reported for a day.", Officials),
        ["ListRollups"] = new("The rollups built for a scope (?scope=CODE).", Officials),
        ["GetRollup"] = new("The rollup of a day for the caller's scope.", Officials),
        ["GetRollupFile"] = new("Downloads a rollup file (CSV, XLSX, PDF).", Officials),
        ["GetRollupLink"] = new("A time-limited download link (SAS) for a rollup file.", Officials),
        ["ListRollupLinks"] = new("The log of download links issued.", AdminOnly),
        ["RunReminders"] = new("Sends the day's reminders now (?cutoff=HH:mm) to the groups of units not yet reported.", AdminOnly),
        ["GetReminders"] = new("The reminders sent for a day, limited to the caller's scope.", Officials),
        ["ListPoison"] = new("The batch messages in the poison queue: message id, batch, reason, when, dequeue count; never the payload.", AdminOnly),
        ["ReplayPoison"] = new("Puts a poison message back on the queue (202): its batch resumes where it stopped; 404 unknown, 409 not a batch.", AdminOnly),
        ["BatchTemplate"] = new("A county's batch template (?scope=CODE&date=): UTF-8 CSV with BOM, one row per township, to fill in and upload.", Officials),
        ["BatchTemplateXlsx"] = new("The batch template as an XLSX workbook (?scope=CODE&date=), code and date columns text-formatted; upload it back as XLSX.", Officials),
        ["DropPoison"] = new("Removes a message from the poison queue (204, 404 unknown).", AdminOnly),
    }.ToFrozenDictionary();
}
